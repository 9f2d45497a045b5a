package dev.ratchet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reading migration files' contents, deferred. A directory source decides names and versions
 * from the listing alone; the contents of its files are read in batches, either in the
 * background when a runner asks for them early ({@link Migration#prefetch()}: a tracker that
 * verifies checksums reads every file while the runner connects), or in the calling thread
 * when a script or checksum is first asked for. Not API.
 */
final class ScriptFiles {
    /** Files per batch: large enough to amortize a task, small enough to spread over the readers. */
    static final int BATCH = 64;

    private static final ThreadPoolExecutor READERS;

    static {
        int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        AtomicInteger count = new AtomicInteger();
        READERS = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ratchet-migration-reader-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        READERS.allowCoreThreadTimeOut(true);
    }

    private ScriptFiles() {
    }

    /** One file's contents, not necessarily read yet. */
    static final class Script {
        private final Batch batch;
        private final CompletableFuture<String> text = new CompletableFuture<>();

        private Script(Batch batch) {
            this.batch = batch;
        }

        /** The contents; reads this file's batch in the calling thread when nobody has started it. */
        CompletableFuture<String> text() {
            if (!text.isDone()) {
                batch.readHere();
            }
            return text;
        }

        /** The contents' future as it stands, without starting a read. */
        CompletableFuture<String> future() {
            return text;
        }

        /** Starts reading this file's batch in the background, if nobody has. */
        void prefetch() {
            batch.readInBackground();
        }

        /** True once the contents (or the failure to read them) are known. */
        boolean isDone() {
            return text.isDone();
        }
    }

    /** Files read together. */
    static final class Batch {
        private final List<Path> files = new ArrayList<>(BATCH);
        private final List<Script> scripts = new ArrayList<>(BATCH);
        private final AtomicBoolean started = new AtomicBoolean();

        /** Adds a file; its contents are read with the rest of the batch. */
        Script add(Path file) {
            Script s = new Script(this);
            files.add(file);
            scripts.add(s);
            return s;
        }

        boolean isFull() {
            return files.size() >= BATCH;
        }

        void readInBackground() {
            if (started.compareAndSet(false, true)) {
                READERS.execute(this::readAll);
            }
        }

        void readHere() {
            if (started.compareAndSet(false, true)) {
                readAll();
            }
        }

        private void readAll() {
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                CompletableFuture<String> text = scripts.get(i).text;
                try {
                    text.complete(decode(Files.readAllBytes(file), file.toString()));
                } catch (IOException | RuntimeException e) {
                    text.completeExceptionally(e instanceof RatchetException re ? re
                            : RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Cannot read migration file '"
                                    + file + "': " + e.getMessage()).with("file", file.toString()).cause(e).build());
                }
            }
        }
    }

    /** Strict UTF-8: a file that is not UTF-8 is reported, never guessed. */
    static String decode(byte[] bytes, String origin) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                    "Migration file '" + origin + "' is not valid UTF-8.").with("file", origin).cause(e).build();
        }
    }
}
