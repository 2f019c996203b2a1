package dev.tidemark.bench.jmh;

import dev.tidemark.bench.Corpus;

import java.nio.file.Path;

/** Where the forked benchmark JVMs find the corpora the harness wrote. */
public final class Corpora {

    /** The system property naming the corpora folder. */
    public static final String PROPERTY = "tidemark.bench.corpora";

    private Corpora() {
    }

    static Corpus get(String id) {
        return Corpus.load(Path.of(System.getProperty(PROPERTY, System.getProperty("java.io.tmpdir")
                + "/tidemark-bench-corpora")), id);
    }
}
