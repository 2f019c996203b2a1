package dev.tidemark;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployer in a process of its own, so that a test can kill it with SIGKILL as Kubernetes kills a pod: {@code main}
 * runs {@code Migrator.deploy()} and exits 0, or prints the error and exits 1.
 */
final class DeployerProcess {

    private DeployerProcess() {
    }

    /** Arguments: URL, migrations folder, lock timeout in ms. */
    public static void main(String[] args) {
        try {
            Migrator.builder().url(args[0]).location(args[1])
                    .lockTimeout(java.time.Duration.ofMillis(Long.parseLong(args[2])))
                    .lockWait(java.time.Duration.ofMinutes(2)).build().deploy();
            System.exit(0);
        } catch (RuntimeException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }

    /** Starts a deployer JVM on this test's class path; its output goes to {@code log}. */
    static Process start(String url, Path folder, long lockTimeoutMillis, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DeployerProcess.class.getName());
        command.add(url);
        command.add(folder.toString());
        command.add(Long.toString(lockTimeoutMillis));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a deployer JVM", e);
        }
    }
}
