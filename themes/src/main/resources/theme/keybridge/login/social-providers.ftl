<#-- Identity-provider buttons. Written for this theme (keycloak.v2 renders the display name as is, so it
     cannot show a localized label): providers the theme draws itself (kcLogoIdP-<providerId> in
     theme.properties) get the label of message "kb-idp-label-<providerId>" in the page's language, as the
     providers' guidelines want ("Sign in with Apple", "Mit Apple anmelden"); every other provider shows its
     display name. -->
<#macro show social>
  <div class="${properties.kcLoginMainFooterBand!}">
    <span class="${properties.kcLoginMainFooterBandItem!} ${properties.kcLoginMainFooterHelperText!}">${msg("identity-provider-login-label")}</span>
  </div>
  <div id="kc-social-providers" class="${properties.kcFormSocialAccountSectionClass!}">
    <ul class="${properties.kcFormSocialAccountListClass!}">
      <#list social.providers as p>
        <#assign label = p.iconClasses?has_content?then(msg("kb-idp-label-" + p.providerId), p.displayName!p.alias)>
        <li class="${properties.kcFormSocialAccountListItemClass!}">
          <a data-once-link data-disabled-class="${properties.kcFormSocialAccountListButtonDisabledClass!}" id="social-${p.alias}"
             class="${properties.kcFormSocialAccountListButtonClass!}" aria-label="${label}" type="button" href="${p.loginUrl}">
            <span class="${p.iconClasses?has_content?then(p.iconClasses, properties.kcFormSocialAccountNameClass!)}">${label}</span>
          </a>
        </li>
      </#list>
    </ul>
  </div>
</#macro>
