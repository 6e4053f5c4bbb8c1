package dev.keybridge.it.harness;

import java.util.HashSet;
import java.util.Set;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints the tail of the Keycloak server log when a test or a test class fails (including a
 * server that did not start), so the reason is in the build output and not only under target/.
 */
public class ServerLogTailOnFailure implements TestExecutionListener {

    private static final int TAIL_LINES = 80;

    /** One tail per failing test class is enough; its failing tests share the same server log. */
    private final Set<String> reportedClasses = new HashSet<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return;
        }
        String testClass = test.isTest() ? test.getParentId().orElse(test.getUniqueId()) : test.getUniqueId();
        if (!reportedClasses.add(testClass)) {
            return;
        }
        StringBuilder out = new StringBuilder()
                .append("\n===== ").append(test.getDisplayName()).append(" failed; last ").append(TAIL_LINES)
                .append(" lines of ").append(ServerLog.path()).append(" =====\n");
        ServerLog.tail(TAIL_LINES).forEach(line -> out.append(line).append('\n'));
        out.append("===== end of server log tail =====");
        System.err.println(out);
    }
}
