// SPDX-License-Identifier: MIT
// A native handle that close() can free while other threads may still be using it.
package dev.cxm;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The address of a cxm object, owned by one Java object. The C ABI requires that a handle's
 * destroy function runs after every other call on it has returned; a Java app that closes a
 * shared object from one thread while another is still delivering or scoring cannot easily
 * promise that, and a use after free would crash the whole process. So calls hold the read side
 * of a lock for their duration and {@link #take} (close) the write side: close waits for the
 * calls under way, and later calls throw {@link IllegalStateException}.
 *
 * <p>The recorder's record calls are the exception: they take only {@link #peek}, a volatile
 * read, because a shared lock word written by every recording thread would cost more than the
 * recording itself (cxm's recorder keeps threads off shared cache lines on purpose). Closing a
 * recorder therefore requires recording to have stopped, as {@code cxm_recorder_destroy} does.
 */
final class Handle {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final String what;
  private volatile long address;

  Handle(String what, long address) {
    this.what = what;
    this.address = address;
  }

  /** The address for one call, which must end with {@link #release}; throws when closed. */
  long acquire() {
    lock.readLock().lock();
    long a = address;
    if (a == 0) {
      lock.readLock().unlock();
      throw closed();
    }
    return a;
  }

  void release() {
    lock.readLock().unlock();
  }

  /** The address without the lock (the recorder's record path); throws when closed. */
  long peek() {
    long a = address;
    if (a == 0) throw closed();
    return a;
  }

  /**
   * Marks the handle closed once the calls under way have returned, and gives its address to
   * free; 0 when it was already closed (close is idempotent).
   */
  long take() {
    lock.writeLock().lock();
    try {
      long a = address;
      address = 0;
      return a;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException(what + " is closed");
  }
}
