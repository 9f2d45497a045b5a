package dev.ratchet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * when a script or checksum is first asked for. A caller that needs a batch the readers are
 * still on reads the batches nobody has started meanwhile, so no core waits while files are
 * left unread. Not API.
 *
 * <p>The checksum is computed from the file's bytes: strict UTF-8 decoding and re-encoding is
 * the identity on valid UTF-8, and CR (0x0D) is never part of a multi-byte sequence, so
 * normalizing line ends on bytes gives the bytes of the normalized text. The text itself is
 * decoded only when a script is asked for (an applied migration's body rarely is).
 */
final class ScriptFiles {
    /** Files per batch: large enough to amortize a task, small enough to spread over the readers. */
    static final int BATCH = 32;

    /** UTF-8's byte order mark, which some editors write at the start of a file. */
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final ThreadPoolExecutor READERS;

    static {
        AtomicInteger count = new AtomicInteger();
        READERS = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ratchet-migration-reader-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        READERS.allowCoreThreadTimeOut(true);
    }

    /** One reader's buffer and digest, reused from file to file. */
    private static final ThreadLocal<Reader> READER = ThreadLocal.withInitial(Reader::new);

    private ScriptFiles() {
    }

    /**
     * The files of one load, read batch by batch by whoever claims a batch first: a background
     * reader started by {@link Script#prefetch()}, or a caller that needs the contents now (and
     * reads other unclaimed batches while it waits for one a reader is on). Files are added
     * first, then read.
     */
    static final class Group {
        private final List<Batch> batches = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();
        private Batch open;

        /** Adds a file; its contents are read with the rest of its batch. Not after reading started. */
        Script add(ListedFile file) {
            if (open == null || open.files.size() >= BATCH) {
                open = new Batch(this);
                batches.add(open);
            }
            return open.add(file);
        }

        /** Reads unclaimed batches while {@code awaited} is being read by someone else. */
        private void helpWhileWaiting(Batch awaited) {
            while (!awaited.done.isDone()) {
                Batch b = claimNext();
                if (b == null) {
                    return;
                }
                b.read();
            }
        }

        /** The next batch nobody has claimed, now claimed; or null. */
        private Batch claimNext() {
            while (true) {
                int i = next.getAndIncrement();
                if (i >= batches.size()) {
                    return null;
                }
                Batch b = batches.get(i);
                if (b.claimed.compareAndSet(false, true)) {
                    return b;
                }
            }
        }
    }

    /**
     * One migration file's contents, not necessarily read yet: a file of a directory, read in
     * batches ({@link FileScript}), or a jar entry whose checksum a manifest vouches for, read
     * only when its text is needed ({@code JarScripts}).
     */
    abstract static class Script {
        /**
         * The contents, reading them when they are not known yet.
         *
         * @throws RatchetException of kind {@link ErrorKind#SOURCE_UNREADABLE}, every time, for
         *                          a file that cannot be read or is not UTF-8
         */
        abstract Content content();

        /** The checksum: {@code content().checksum()} unless it is known without reading. */
        String checksum() {
            return content().checksum();
        }

        /** Starts reading in the background, where that helps; may do nothing. */
        abstract void prefetch();

        /** True once anyone asked for the contents: a prefetch or a read. */
        abstract boolean requested();

        /** True once the contents (or the failure to read them) are known. */
        abstract boolean isDone();
    }

    /**
     * A file found by listing a directory: the directory and the file's name, its path resolved
     * when first needed (to read the file, or to name it in a message), which an up-to-date boot
     * of a tracker that verifies no checksum never does. Its text is the path's.
     */
    static final class ListedFile {
        private final Path directory;
        private final String name;
        private Path path;

        private ListedFile(Path directory, String name, Path path) {
            this.directory = directory;
            this.name = name;
            this.path = path;
        }

        /** The file {@code name} of {@code directory}. */
        static ListedFile in(Path directory, String name) {
            return new ListedFile(directory, name, null);
        }

        /** The file at {@code path}, already made; {@code name} the text of its file name. */
        static ListedFile at(Path path, String name) {
            return new ListedFile(null, name, path);
        }

        String name() {
            return name;
        }

        /**
         * The file's path. Threads may race to resolve it: each gets an equal path, and a path
         * (immutable, its fields final) is safely shared without a lock.
         */
        Path path() {
            Path p = path;
            if (p == null) {
                p = directory.resolve(name);
                path = p;
            }
            return p;
        }

        @Override
        public String toString() {
            return path().toString();
        }
    }

    /** One file of a directory, read with the rest of its batch. */
    static final class FileScript extends Script {
        private final Batch batch;
        private final int index;

        private FileScript(Batch batch, int index) {
            this.batch = batch;
            this.index = index;
        }

        @Override
        Content content() {
            batch.await();
            RatchetException failure = batch.failures[index];
            if (failure != null) {
                throw failure;
            }
            return batch.contents[index];
        }

        /** Starts reading this file's batch in the background, if nobody has. */
        @Override
        void prefetch() {
            Batch b = batch;
            if (!b.claimed.get() && b.prefetchRequested.compareAndSet(false, true)) {
                READERS.execute(() -> {
                    if (b.claimed.compareAndSet(false, true)) {
                        b.read();
                    }
                });
            }
        }

        @Override
        boolean requested() {
            return batch.prefetchRequested.get() || batch.claimed.get();
        }

        @Override
        boolean isDone() {
            return batch.done.isDone();
        }
    }

    /** A file's bytes, their checksum, and the text decoded on first use. */
    static final class Content {
        private final byte[] bytes;
        private final String checksum;
        private volatile String text;

        Content(byte[] bytes, String checksum, String text) {
            this.bytes = bytes;
            this.checksum = checksum;
            this.text = text;
        }

        /** SHA-256 hex of the bytes with line ends normalized to LF. */
        String checksum() {
            return checksum;
        }

        /** The text (the bytes were checked to be UTF-8 when they were read). */
        String text() {
            String t = text;
            if (t == null) {
                t = new String(bytes, StandardCharsets.UTF_8);
                text = t;
            }
            return t;
        }
    }

    /** Files read together. */
    private static final class Batch {
        private final Group group;
        private final List<ListedFile> files = new ArrayList<>(BATCH);
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final AtomicBoolean prefetchRequested = new AtomicBoolean();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Content[] contents;
        private RatchetException[] failures;

        private Batch(Group group) {
            this.group = group;
        }

        private Script add(ListedFile file) {
            files.add(file);
            return new FileScript(this, files.size() - 1);
        }

        /** Returns once this batch is read: reads it here when nobody has claimed it. */
        private void await() {
            if (done.isDone()) {
                return;
            }
            if (claimed.compareAndSet(false, true)) {
                read();
                return;
            }
            group.helpWhileWaiting(this);
            done.join(); // read() never completes exceptionally: failures are kept per file
        }

        private void read() {
            Content[] c = new Content[files.size()];
            RatchetException[] f = new RatchetException[files.size()];
            Reader reader = READER.get();
            for (int i = 0; i < c.length; i++) {
                ListedFile file = files.get(i);
                try {
                    c[i] = reader.read(file.path());
                } catch (IOException | RuntimeException e) {
                    f[i] = e instanceof RatchetException re ? re : unreadable(file.path(), e);
                }
            }
            contents = c;
            failures = f;
            done.complete(null); // publishes both arrays to every thread that sees done
        }
    }

    /**
     * Why {@code file} could not be read, in words: an exception of the file system often says
     * no more than the path.
     */
    static RatchetException unreadable(Path file, Exception e) {
        String why;
        String hint = null;
        if (e instanceof NoSuchFileException && Files.isSymbolicLink(file)) {
            String target;
            try {
                target = Files.readSymbolicLink(file).toString();
            } catch (IOException | RuntimeException unreadableLink) {
                target = "?";
            }
            why = "it is a link to '" + target + "', which does not exist";
            hint = "restore what the link points to (a volume that is not mounted?), or remove the link";
        } else if (e instanceof NoSuchFileException) {
            why = "it was removed after its directory was listed";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
            hint = "let the user that runs Ratchet read it";
        } else {
            why = e.getMessage();
        }
        RatchetException.Builder b = RatchetException.of(ErrorKind.SOURCE_UNREADABLE,
                "Cannot read migration file '" + file + "': " + why).with("file", file.toString()).cause(e);
        return (hint == null ? b : b.hint(hint)).build();
    }

    /** A thread's buffer and digest. */
    private static final class Reader {
        private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
        private final MessageDigest sha256 = newSha256();

        Content read(Path file) throws IOException {
            ByteBuffer buf = buffer;
            buf.clear();
            try (FileChannel channel = FileChannel.open(file)) {
                while (channel.read(buf) >= 0) {
                    if (!buf.hasRemaining()) {
                        ByteBuffer bigger = ByteBuffer.allocateDirect(buf.capacity() * 2);
                        buf.flip();
                        bigger.put(buf);
                        buffer = buf = bigger;
                    }
                }
            }
            buf.flip();
            byte[] bytes = new byte[buf.remaining()];
            buf.get(bytes);
            return contentOf(bytes, file.toString(), sha256);
        }
    }

    /** The content of a file's bytes, refusing bytes that are not UTF-8. */
    static Content contentOf(byte[] bytes, String origin, MessageDigest sha256) {
        boolean ascii = true;
        boolean carriageReturn = false;
        for (byte b : bytes) {
            if (b < 0) {
                ascii = false;
            } else if (b == '\r') {
                carriageReturn = true;
            }
        }
        String text = ascii ? null : decode(bytes, origin);
        return new Content(bytes, checksum(bytes, carriageReturn, sha256), text);
    }

    /**
     * SHA-256 hex of UTF-8 bytes without a leading byte order mark, with CRLF and lone CR
     * normalized to LF. An editor that adds or drops the mark changes no statement, so it changes
     * no checksum either.
     */
    static String checksum(byte[] utf8, boolean mayHaveCarriageReturn, MessageDigest sha256) {
        int from = hasByteOrderMark(utf8) ? BYTE_ORDER_MARK.length : 0;
        byte[] normalized = mayHaveCarriageReturn ? normalizeLineEnds(utf8, from)
                : from == 0 ? utf8 : java.util.Arrays.copyOfRange(utf8, from, utf8.length);
        return HexFormat.of().formatHex(sha256.digest(normalized));
    }

    /** SHA-256 hex of a text without a leading byte order mark, CRLF and lone CR normalized to LF. */
    static String checksum(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return checksum(utf8, text.indexOf('\r') >= 0, newSha256());
    }

    /**
     * The checksum Ratchet recorded for a script with a byte order mark before the checksum left
     * the mark out: SHA-256 of the mark followed by the normalized text. The same whether the
     * script has the mark now or not, so such a row matches the file whatever an editor did to
     * the mark since.
     */
    static String checksumWithByteOrderMark(String text) {
        String normalized = (text.startsWith("\uFEFF") ? text : "\uFEFF" + text)
                .replace("\r\n", "\n").replace('\r', '\n');
        return HexFormat.of().formatHex(newSha256().digest(normalized.getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean hasByteOrderMark(byte[] utf8) {
        return utf8.length >= 3 && utf8[0] == BYTE_ORDER_MARK[0] && utf8[1] == BYTE_ORDER_MARK[1]
                && utf8[2] == BYTE_ORDER_MARK[2];
    }

    private static byte[] normalizeLineEnds(byte[] in, int from) {
        byte[] out = new byte[in.length - from];
        int n = 0;
        for (int i = from; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out[n++] = '\n';
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else {
                out[n++] = b;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Strict UTF-8: a file that is not UTF-8 is reported, never guessed, naming the line and the
     * byte where it stops being UTF-8 (or that it is UTF-16, by its byte order mark).
     */
    static String decode(byte[] bytes, String origin) {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length); // UTF-8: never more chars than bytes
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (!result.isError()) {
            return out.flip().toString();
        }
        int offset = in.position();
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        boolean utf16 = bytes.length >= 2 && (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE
                || bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF);
        String where = utf16 ? ": it starts with a UTF-16 byte order mark, so it was saved as UTF-16"
                : ": at line " + line + " (byte " + (offset + 1) + ") comes " + String.format("0x%02X", bytes[offset] & 0xff)
                + ", which UTF-8 does not have there (a file saved as Windows-1252 or Latin-1 has such bytes for"
                + " accented letters)";
        CharacterCodingException cause = new java.nio.charset.MalformedInputException(result.length());
        throw RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Migration file '" + origin + "' is not valid UTF-8"
                        + where + ".")
                .with("file", origin).with("line", utf16 ? null : line)
                .hint("save the file as UTF-8 (for example iconv -f WINDOWS-1252 -t UTF-8, naming the encoding it"
                        + " has); Ratchet reads migrations as UTF-8 and never guesses another encoding")
                .cause(cause).build();
    }
}
