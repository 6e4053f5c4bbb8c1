package dev.keybridge.it.harness;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromedriver (installed by .ci/run), driven by Selenium without any
 * download: both paths are fixed, and the flags keep Chromium off the closed network.
 */
public final class HeadlessChromium {

    private static final String BROWSER = System.getProperty("keybridge.chromium", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("keybridge.chromedriver", "/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    public static ChromeDriver start(Dimension window) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--window-size=" + window.getWidth() + "," + window.getHeight());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .build();
        return new ChromeDriver(service, options);
    }

    /** Saves a PNG of the current page under integration-tests/target/screenshots/. */
    public static Path screenshot(ChromeDriver browser, String name) throws IOException {
        Path target = Path.of("target", "screenshots", name + ".png").toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target,
                StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
