package dev.keybridge.it.theme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;

import javax.imageio.ImageIO;

import dev.keybridge.it.harness.HeadlessChromium;
import org.junit.jupiter.api.Test;
import org.keycloak.testframework.annotations.InjectKeycloakUrls;
import org.keycloak.testframework.annotations.InjectRealm;
import org.keycloak.testframework.annotations.KeycloakIntegrationTest;
import org.keycloak.testframework.realm.ManagedRealm;
import org.keycloak.testframework.realm.RealmBuilder;
import org.keycloak.testframework.realm.RealmConfig;
import org.keycloak.testframework.realm.UserBuilder;
import org.keycloak.testframework.server.KeycloakUrls;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.Color;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The keybridge admin theme in a real headless Chromium: a realm administrator opens her realm's
 * console, and the Apple provider's "Add provider" card shows the Apple logo instead of the generic icon.
 */
@KeycloakIntegrationTest
class AdminThemeBrowserTest {

    private static final String ADMIN = "realm-boss";
    private static final String LOGO = "/login/keybridge/img/apple-logo.svg";

    @InjectRealm(config = AdminThemeRealm.class)
    ManagedRealm realm;

    @InjectKeycloakUrls
    KeycloakUrls urls;

    @Test
    void appleProviderCardShowsTheAppleLogo() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(new Dimension(1280, 900));
        try {
            openIdentityProviders(browser);
            assertAppleCardShowsOurLogo(browser);
            HeadlessChromium.screenshot(browser, "admin-identity-providers");
        } finally {
            browser.quit();
        }
    }

    /** Logs the realm administrator into her realm's console and opens "Identity providers". */
    private void openIdentityProviders(ChromeDriver browser) {
        String console = urls.getBase() + "/admin/" + realm.getName() + "/console/";
        browser.get(console);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(ADMIN);
        browser.findElement(By.id("password")).sendKeys(ADMIN);
        browser.findElement(By.id("kc-login")).click();
        wait.until(ExpectedConditions.urlContains("/admin/" + realm.getName() + "/console/"));

        browser.get(console + "#/" + realm.getName() + "/identity-providers");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='apple-card']")));
    }

    private static void assertAppleCardShowsOurLogo(ChromeDriver browser) throws IOException {
        assertTrue(browser.getPageSource().contains("/admin/keybridge/css/keybridge-admin.css"),
                "the keybridge admin stylesheet is not linked from the console");
        WebElement apple = browser.findElement(By.cssSelector("[data-testid='apple-card']"));
        assertTrue(apple.getText().contains("Apple"), apple.getText());

        WebElement icon = apple.findElement(By.cssSelector(".pf-v5-c-icon__content"));
        assertEquals("none", icon.findElement(By.tagName("svg")).getCssValue("display"), "the generic icon is still shown");
        String mask = (String) browser.executeScript(
                "const s = getComputedStyle(arguments[0], '::before'); return s.maskImage || s.webkitMaskImage;", icon);
        assertTrue(mask.contains(LOGO), mask);
        String logoColour = (String) browser.executeScript(
                "return getComputedStyle(arguments[0], '::before').backgroundColor;", icon);
        assertEquals("#000000", Color.fromString(logoColour).asHex());
        // the relative url in the stylesheet must reach the login theme's file
        String logo = (String) browser.executeAsyncScript(
                "const done = arguments[1]; fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')));",
                mask.substring(mask.indexOf("http"), mask.lastIndexOf('"')));
        assertTrue(logo.startsWith("200 image/svg+xml"), logo);
        assertTrue(darkPixels(icon) > 20, "no logo is drawn in the card's icon");

        WebElement openIdConnect = browser.findElement(By.cssSelector("[data-testid='keycloak-oidc-card'] .pf-v5-c-icon__content"));
        assertTrue(openIdConnect.findElement(By.tagName("svg")).isDisplayed(), "other providers keep their icons");
        assertFalse((Boolean) browser.executeScript(
                "return getComputedStyle(arguments[0], '::before').content !== 'none';", openIdConnect),
                "other providers get no Apple logo");
    }

    /** Nearly black pixels in the icon's box; with the generic icon hidden, only the logo can draw them. */
    private static int darkPixels(WebElement icon) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(icon.getScreenshotAs(OutputType.BYTES)));
        int dark = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 40 && ((rgb >> 8) & 0xff) < 40 && (rgb & 0xff) < 40) {
                    dark++;
                }
            }
        }
        return dark;
    }

    /** No identity providers, so the console shows the "Add provider" cards; one realm administrator. */
    static class AdminThemeRealm implements RealmConfig {

        @Override
        public RealmBuilder configure(RealmBuilder realm) {
            return realm.update(representation -> representation.setAdminTheme("keybridge"))
                    .users(UserBuilder.create(ADMIN).password(ADMIN).email(ADMIN + "@example.org").emailVerified(true)
                            .name("Realm", "Boss").clientRoles("realm-management", "realm-admin"));
        }
    }
}
