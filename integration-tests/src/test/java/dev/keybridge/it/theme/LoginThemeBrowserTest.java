package dev.keybridge.it.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import dev.keybridge.it.harness.HeadlessChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.server.KeycloakUrls;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.Color;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The demo realm's login page in a real headless Chromium, at a phone's size. */
@KeycloakIntegrationTest
class LoginThemeBrowserTest {

    private static final Dimension PHONE = new Dimension(390, 844);

    @InjectKeycloakUrls
    KeycloakUrls urls;

    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void demoRealmLoginPageIsThemedAndLogsTheUserIn() throws Exception {
        browser = HeadlessChromium.start(PHONE);
        browser.get(urls.getBase() + "/realms/keybridge-demo/account");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));

        assertTrue(browser.getPageSource().contains("/login/keybridge/css/keybridge.css"),
                "the keybridge stylesheet is not linked from the login page");
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("Sign in with your existing account"));
        assertProviderButton("kb-idp-apple", "#000000", "#ffffff");
        assertProviderButton("kb-idp-google", "#ffffff", "#1f1f1f");
        assertProviderLabel("kb-idp-apple", "Sign in with Apple");
        assertProviderLabel("kb-idp-google", "Sign in with Google");
        HeadlessChromium.screenshot(browser, "login-phone");

        browser.findElement(By.id("username")).sendKeys("demo");
        browser.findElement(By.id("password")).sendKeys("demo");
        browser.findElement(By.id("kc-login")).click();

        wait.until(driver -> driver.getCurrentUrl().contains("/realms/keybridge-demo/account")
                && !driver.getCurrentUrl().contains("/login-actions/")
                && !driver.getCurrentUrl().contains("/openid-connect/auth"));
        HeadlessChromium.screenshot(browser, "account-after-login");
    }

    @Test
    void loginPageSpeaksGerman() {
        browser = HeadlessChromium.start(PHONE);
        browser.get(urls.getBase() + "/realms/keybridge-demo/protocol/openid-connect/auth"
                + "?client_id=keybridge-demo-app&response_type=code&scope=openid&ui_locales=de"
                + "&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));

        String page = browser.findElement(By.tagName("body")).getText();
        assertTrue(page.contains("Mit Ihrem bisherigen Konto anmelden"), page);
        assertTrue(page.contains("Oder weiter mit"), page);
        assertProviderLabel("kb-idp-apple", "Mit Apple anmelden");
        assertProviderLabel("kb-idp-google", "\u00dcber Google anmelden");
    }

    /** The button shows the provider's guideline wording in the page's language, also to screen readers. */
    private void assertProviderLabel(String iconClass, String label) {
        WebElement text = browser.findElement(By.cssSelector("#kc-social-providers ." + iconClass));
        assertEquals(label, text.getText());
        assertEquals(label, text.findElement(By.xpath("./ancestor::a[1]")).getAttribute("aria-label"));
    }

    /** A provider button drawn by the theme: visible, a touch target, in the provider's colours. */
    private void assertProviderButton(String iconClass, String background, String textColour) {
        WebElement label = browser.findElement(By.cssSelector("#kc-social-providers ." + iconClass));
        WebElement button = label.findElement(By.xpath("./ancestor::a[1]"));
        assertTrue(button.isDisplayed(), iconClass + " button is not displayed");
        assertTrue(button.getSize().getHeight() >= 44, iconClass + " button is smaller than a touch target");
        assertEquals(background, Color.fromString(button.getCssValue("background-color")).asHex(), iconClass + " background");
        assertEquals(textColour, Color.fromString(label.getCssValue("color")).asHex(), iconClass + " text colour");
    }
}
