package dev.tidemark.bench.cold;

import dev.tidemark.bench.Floor;

/**
 * S5 floor: a JVM that reads the folder, connects, takes the advisory lock, reads the history and exits. Arguments:
 * JDBC URL, user, migrations folder.
 */
public final class FloorDeploy {

    private FloorDeploy() {
    }

    public static void main(String[] args) throws Exception {
        String password = System.getenv("TIDEMARK_BENCH_PASSWORD");
        System.out.println("applied " + Floor.deploy(args[0], args[1], password == null ? "" : password,
                java.nio.file.Path.of(args[2])));
    }
}
