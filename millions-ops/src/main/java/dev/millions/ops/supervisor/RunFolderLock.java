package dev.millions.ops.supervisor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.millions.ops.node.RunFolder;

/** The supervisor's hold on its run folder for its whole life, so that two systems never share one. */
final class RunFolderLock {

    private static final Logger logger = LoggerFactory.getLogger(RunFolderLock.class);

    private final RunFolder runFolder;
    private FileChannel channel;
    private FileLock lock;

    RunFolderLock(RunFolder runFolder) {
        this.runFolder = runFolder;
    }

    /** @throws IllegalStateException when another supervisor holds it, naming that supervisor's pid */
    void acquire() {
        try {
            Files.createDirectories(runFolder.root());
            channel = FileChannel.open(runFolder.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock run folder " + runFolder.root() + ": " + e, e);
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            release();
            long owner = RunState.read(runFolder.stateFile()).map(RunState::supervisorPid).orElse(-1L);
            throw new IllegalStateException("a system already runs from " + runFolder.root()
                                            + (owner > 0 ? " (supervisor pid " + owner + ')' : "")
                                            + ": see `millions status`, or stop it with `millions down`");
        }
    }

    void release() {
        try {
            if (lock != null) {
                lock.release();
                lock = null;
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } catch (IOException e) {
            logger.warn("cannot release the lock of {}: {}", runFolder.root(), e.toString());
        }
    }
}
