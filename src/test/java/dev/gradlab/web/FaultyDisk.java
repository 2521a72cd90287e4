package dev.gradlab.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A file system for H2 ({@code jdbc:h2:faulty:/path/db}) that can turn read-only or full under a running
 * database: the two ways a disk refuses writes, which a test cannot cause for real (it runs as root, so file
 * permissions do not stop it, and it cannot fill a disk). Read-only is what H2 sees of a file it may not write
 * ({@code canWrite} false, opening for writing denied); full fails every write with the operating system's words.
 */
public final class FaultyDisk extends FilePathWrapper {

    /** Public: H2 makes one instance per path by reflection. */
    public FaultyDisk() {}

    static final String SCHEME = "faulty";

    static volatile boolean readOnly;
    static volatile boolean full;

    static {
        FilePath.register(new FaultyDisk());
    }

    /** Registers the scheme (once per JVM) and makes the disk healthy. */
    static void install() {
        readOnly = false;
        full = false;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public boolean canWrite() {
        return !readOnly && super.canWrite();
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        if (readOnly && mode.contains("w")) {
            throw new AccessDeniedException(name);
        }
        return new Channel(super.open(mode));
    }

    private static void refuseWrite() throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
    }

    private static final class Channel extends FileBase {
        private final FileChannel channel;

        Channel(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            refuseWrite();
            return channel.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            refuseWrite();
            return channel.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            refuseWrite();
            channel.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            refuseWrite();
            channel.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
