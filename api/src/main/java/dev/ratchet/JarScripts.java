package dev.ratchet;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The migrations of a jar whose checksums its {@link ChecksumManifest} vouches for: their
 * checksums are known without reading them, and their texts are read only when asked for (to
 * apply them). Not API.
 */
final class JarScripts {
    private JarScripts() {
    }

    /** The vouched-for scripts of one jar location, read together when the first text is needed. */
    static final class Group {
        private final URL location;
        private final List<Vouched> scripts = new ArrayList<>();

        /** A group for the scripts under {@code location}, a {@code jar:} URL opened again to read them. */
        Group(URL location) {
            this.location = location;
        }

        /** A script of the jar entry {@code entryName}, whose checksum {@code vouch} gives. */
        ScriptFiles.Script add(String entryName, String origin, Version version, ChecksumManifest.Vouch vouch) {
            Vouched s = new Vouched(this, entryName, origin, version, vouch);
            scripts.add(s);
            return s;
        }

        /**
         * Reads {@code needed} and, in the same opening of the jar, every script not read yet of
         * a version at or after its own: what is pending is most often the newest migrations, so
         * a run that applies them opens the jar once.
         */
        private synchronized void read(Vouched needed) {
            if (needed.isDone()) {
                return;
            }
            List<Vouched> batch = new ArrayList<>();
            for (Vouched s : scripts) {
                if (!s.isDone() && (s == needed || s.version.compareTo(needed.version) >= 0)) {
                    batch.add(s);
                }
            }
            try {
                JarURLConnection connection = (JarURLConnection) location.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    MessageDigest sha256 = ScriptFiles.newSha256();
                    for (Vouched s : batch) {
                        s.readFrom(jar, sha256);
                    }
                }
            } catch (IOException | RuntimeException e) {
                for (Vouched s : batch) {
                    if (!s.isDone()) {
                        s.failure = RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Cannot read migration '"
                                + s.origin + "': " + e.getMessage()).with("file", s.origin).cause(e).build();
                    }
                }
            }
        }
    }

    /** A jar entry the manifest vouches for. */
    private static final class Vouched extends ScriptFiles.Script {
        private final Group group;
        private final String entryName;
        private final String origin;
        private final Version version;
        private final ChecksumManifest.Vouch vouch;
        private volatile ScriptFiles.Content content;
        private volatile RatchetException failure;

        Vouched(Group group, String entryName, String origin, Version version, ChecksumManifest.Vouch vouch) {
            this.group = group;
            this.entryName = entryName;
            this.origin = origin;
            this.version = version;
            this.vouch = vouch;
        }

        @Override
        ScriptFiles.Content content() {
            if (!isDone()) {
                group.read(this);
            }
            RatchetException f = failure;
            if (f != null) {
                throw f;
            }
            return content;
        }

        /** The manifest's checksum: nothing is read. */
        @Override
        String checksum() {
            return vouch.checksum();
        }

        /** Nothing to start: the checksum is known, and a text is read when it is needed. */
        @Override
        void prefetch() {
        }

        /** True once the text was read (or failed to be), when asked for or with another's. */
        @Override
        boolean requested() {
            return isDone();
        }

        @Override
        boolean isDone() {
            return content != null || failure != null;
        }

        /** Reads the entry; its checksum must be the one the manifest vouched for. */
        private void readFrom(JarFile jar, MessageDigest sha256) throws IOException {
            JarEntry entry = jar.getJarEntry(entryName);
            if (entry == null) {
                failure = RatchetException.of(ErrorKind.SOURCE_UNREADABLE, "Migration '" + origin
                        + "' is no longer in its jar.").with("file", origin).build();
                return;
            }
            ScriptFiles.Content c;
            try (InputStream in = jar.getInputStream(entry)) {
                c = ScriptFiles.contentOf(in.readAllBytes(), origin, sha256);
            } catch (RatchetException e) {
                failure = e;
                return;
            }
            // A manifest written before the checksum left a byte order mark out hashed the mark.
            if (!c.checksum().equals(vouch.checksum()) && !(c.text().startsWith("\uFEFF")
                    && ScriptFiles.checksumWithByteOrderMark(c.text()).equals(vouch.checksum()))) {
                failure = RatchetException.of(ErrorKind.CHECKSUM_MANIFEST_INVALID, "The checksum manifest gives "
                                + vouch.checksum() + " for migration '" + origin + "', whose contents have checksum "
                                + c.checksum() + ".")
                        .with("file", origin).with("manifest", vouch.checksum()).with("contents", c.checksum())
                        .build();
                return;
            }
            content = c;
        }
    }
}
