package octoquant.experiments.io;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One live writer per output folder. Every command that writes an output folder holds this lock for as long
 * as it writes:
 * <pre>
 *   try (OutputLock lock = OutputLock.acquire(dir, out)) {
 *       … write into dir …
 *   }
 * </pre>
 * The lock is an exclusive {@link FileChannel#tryLock() OS file lock} on {@value #FILE_NAME} inside the folder,
 * taken before anything else is written there (only the folder itself may be created first). A second
 * process that asks for the same folder — a run, a {@code --resume}, a merge, an audit — is refused at once
 * with {@link FolderInUseException}, whose one-line message names the folder and the holder (pid, host, start
 * time) that the holder wrote into the lock file.
 *
 * <p>Dead holders: the operating system releases a process's file locks when the process ends, however it
 * ends (kill -9, a crash, the machine losing power and rebooting), and this class relies on exactly that. A
 * lock file that still names a holder while nobody holds the OS lock was therefore left by a process that
 * ended without closing it; the next acquirer takes it over and says so on {@code notes}. A holder that
 * closes normally empties the file, so a clean folder's lock file is empty.
 *
 * <p>The OS lock is per process: within one JVM a second acquire of a held folder is refused too. On network
 * file systems the lock is as good as the file system's {@code fcntl} locks (NFSv4 has them); a file system
 * without locks is reported, not ignored.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file inside the output folder. */
    public static final String FILE_NAME = ".octoquant.lock";

    private static volatile Path mostRecent;

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder takenOverFrom;

    private OutputLock(Path folder, FileChannel channel, FileLock lock, Holder takenOverFrom) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
        this.takenOverFrom = takenOverFrom;
    }

    /** Who holds (or last held) a folder, as written in its lock file. */
    public record Holder(long pid, String host, String started) {
        String text() {
            return "pid=" + pid + "\nhost=" + host + "\nstarted=" + started + "\n";
        }

        /** Parses the lock file's text; empty when the text is not a complete holder record. */
        static Optional<Holder> parse(String text) {
            Long pid = null;
            String host = null, started = null;
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq < 0) continue;
                String key = line.substring(0, eq), value = line.substring(eq + 1).trim();
                switch (key) {
                    case "pid" -> {
                        try {
                            pid = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            return Optional.empty();
                        }
                    }
                    case "host" -> host = value;
                    case "started" -> started = value;
                    default -> { }
                }
            }
            if (pid == null || host == null || started == null || started.isEmpty()) return Optional.empty();
            return Optional.of(new Holder(pid, host, started));
        }

        /** e.g. {@code pid 4242 on host node7, started 2026-05-01T10:00:00Z}. */
        public String describe() {
            return "pid " + pid + " on host " + host + ", started " + started;
        }

        static Holder thisProcess() {
            return new Holder(ProcessHandle.current().pid(), hostName(),
                    ProcessHandle.current().info().startInstant().orElse(Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

    /** Another live process (or this one) holds the folder: exit code 2, one line. */
    public static final class FolderInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Optional<Holder> holder;

        FolderInUseException(Path folder, Optional<Holder> holder) {
            super(folder + " is in use by another run ("
                    + holder.map(Holder::describe).orElse("holder not known yet: it is just starting")
                    + "); wait for it to end, or choose another folder");
            this.holder = holder;
        }

        public Optional<Holder> holder() {
            return holder;
        }
    }

    /**
     * Takes the folder for this process, creating it if needed; a stale lock left by a process that ended is
     * taken over with a note on {@code notes} (may be null).
     *
     * @throws FolderInUseException when a live process holds it
     * @throws WriteFailure         when the folder or its lock file cannot be created or written
     * @throws IOException          when the file system cannot lock files, with a message saying so
     */
    public static OutputLock acquire(Path folder, PrintStream notes) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new java.nio.file.FileSystemException(folder.toString(), null, "it is a file, not a folder; give a folder");
        }
        Path file = folder.resolve(FILE_NAME);
        FileChannel ch;
        try {
            Files.createDirectories(folder);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw WriteFailure.of(file, e);
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new FolderInUseException(folder, Optional.of(Holder.thisProcess()));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock " + file + " (" + e.getMessage() + "): the file system of " + folder
                    + " may not support file locks; use a local folder", e);
        }
        if (lock == null) {
            Optional<Holder> holder = readHolder(ch);
            ch.close();
            throw new FolderInUseException(folder, holder);
        }
        try {
            String previous = read(ch);
            Optional<Holder> stale = previous.isBlank() ? Optional.empty() : Holder.parse(previous);
            byte[] me = Holder.thisProcess().text().getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            ch.force(true);
            if (!previous.isBlank() && notes != null) {
                notes.println("note: " + folder + " had a stale lock from " + stale.map(Holder::describe)
                        .orElse("a process that left an unreadable record") + ", which ended without releasing it "
                        + "(killed or crashed); the lock was taken over (the system had released it)");
            }
            mostRecent = folder;
            return new OutputLock(folder, ch, lock, stale.orElse(null));
        } catch (IOException e) {
            lock.release();
            ch.close();
            throw WriteFailure.of(file, e);
        }
    }

    /** The folder of the most recent {@link #acquire} in this JVM (for messages after the command ended). */
    public static Optional<Path> mostRecent() {
        return Optional.ofNullable(mostRecent);
    }

    /** Forgets {@link #mostRecent()} (at the start of a new command in the same JVM). */
    public static void forgetMostRecent() {
        mostRecent = null;
    }

    public Path folder() {
        return folder;
    }

    /** The holder whose stale lock was taken over, if any. */
    public Optional<Holder> takenOverFrom() {
        return Optional.ofNullable(takenOverFrom);
    }

    /** Empties the lock file (a clean release) and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) channel.truncate(0);
        } finally {
            try {
                if (lock.isValid()) lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /**
     * The holder named in a locked file. The holder writes its record right after taking the lock, so a reader
     * racing it may briefly find the file empty: read again for up to half a second.
     */
    private static Optional<Holder> readHolder(FileChannel ch) {
        long deadline = System.nanoTime() + 500_000_000L;
        while (true) {
            Optional<Holder> h;
            try {
                h = Holder.parse(read(ch));
            } catch (IOException e) {
                return Optional.empty(); // a system that forbids reading a locked file: the holder stays unnamed
            }
            if (h.isPresent() || System.nanoTime() > deadline) return h;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return h;
            }
        }
    }

    private static String read(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // keep reading until the buffer is full or the file ends
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
