// SPDX-License-Identifier: MIT
// The crash-safe outbox: records kept on disk until the app's HTTP client delivered them.
package dev.cxm;

import java.util.Objects;

/**
 * Survey responses, journey events and aggregate snapshots kept on disk until the collector
 * has them ({@code cxm_outbox_*}, cxm/device/outbox.hpp; formats in docs/outbox.md). Every
 * record is durable before the call that queued it returns and is delivered until
 * acknowledged; the app sends the batches with its own HTTP client:
 *
 * <pre>{@code
 * Outbox.Batch b;
 * while ((b = outbox.nextBatch(256 * 1024)) != null) {
 *   int http = post(b.endpoint, b.payload);          // the app's HTTP stack
 *   if (http >= 200 && http < 300) outbox.ack(b.id);
 *   else outbox.fail(b.id, http, retryAfterMs);      // http 0: network error
 * }
 * // outbox.lastNextBatchStatus(): EMPTY, NOT_PERMITTED (no consent) or RETRY_LATER
 * }</pre>
 *
 * <p><b>Thread safety</b>: every method may be called from any thread at once (appends from
 * several threads share one fsync). {@link #close} waits for the calls under way; later calls
 * throw {@link IllegalStateException}. One open outbox per directory: a second open, in this
 * process or another, throws {@link CxmException} with status {@link Status#LOCKED}.
 */
public final class Outbox implements AutoCloseable {
  static {
    Cxm.load();
  }

  /** What a record is ({@code cxm_record_kind}). */
  public enum Kind {
    /** A survey response, a JSON object. */
    RESPONSE(0),
    /** A journey event, a JSON object. */
    EVENT(1);

    final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  /** The user's decision about sending ({@code cxm_consent}); persisted in the directory. */
  public enum Consent {
    /** Not asked yet: records are kept, nothing is offered (the default). */
    UNKNOWN(0),
    /** Records are offered for sending. */
    GIVEN(1),
    /** Records are kept, nothing is offered; {@link #purge} deletes them. */
    REVOKED(2);

    final int code;

    Consent(int code) {
      this.code = code;
    }

    static Consent of(int code) {
      for (Consent c : values()) {
        if (c.code == code) return c;
      }
      throw new IllegalStateException("unknown consent " + code);
    }
  }

  /** Settings ({@code cxm_outbox_options}); a new instance holds cxm's defaults. */
  public static final class Options {
    /** Queue cap in records; the oldest are dropped beyond it (default 10000). */
    public long maxRecords;
    /** Queue cap in bytes (default 16 MiB). */
    public long maxBytes;
    /** Records older than this are dropped (default 30 days). */
    public long ttlMs;
    /** The largest record accepted (default 256 KiB). */
    public long maxRecordBytes;
    /** Concurrent appends share an fsync (default true); false: one fsync per append. */
    public boolean groupCommit;
    /** Raw responses and events are refused; only aggregates leave the device. */
    public boolean aggregatesOnly;
    /** First retry delay before jitter (default 1000 ms). */
    public long retryBaseMs;
    /** Longest retry delay (default 300000 ms). */
    public long retryMaxMs;

    public Options() {
      long[] v = new long[OPTION_FIELDS];
      nativeOptionsInit(v);
      maxRecords = v[0];
      maxBytes = v[1];
      ttlMs = v[2];
      maxRecordBytes = v[3];
      groupCommit = v[4] != 0;
      aggregatesOnly = v[5] != 0;
      retryBaseMs = v[6];
      retryMaxMs = v[7];
    }

    /** The fields in cxm_outbox_options' order; cxm's unsigned fields refuse negative values. */
    long[] toArray() {
      if (maxRecords < 0 || maxBytes < 0 || maxRecordBytes < 0) {
        throw new IllegalArgumentException("maxRecords, maxBytes and maxRecordBytes must not be negative");
      }
      return new long[] {
        maxRecords, maxBytes, ttlMs, maxRecordBytes, groupCommit ? 1 : 0, aggregatesOnly ? 1 : 0,
        retryBaseMs, retryMaxMs
      };
    }
  }

  /** A batch to send: POST {@link #payload} to {@link #endpoint}, then ack or fail {@link #id}. */
  public static final class Batch {
    /** The batch id (a UUIDv7) to pass to {@link Outbox#ack} or {@link Outbox#fail}. */
    public final String id;
    /** The path to POST to: "/v1/responses" or "/v1/aggregates". */
    public final String endpoint;
    /** The request body, UTF-8 JSON ({@code cxm.batch} version 1). */
    public final byte[] payload;
    /** Records in the batch. */
    public final long records;

    Batch(String id, String endpoint, byte[] payload, long records) {
      this.id = id;
      this.endpoint = endpoint;
      this.payload = payload;
      this.records = records;
    }
  }

  /** The counters ({@code cxm_outbox_counts}); the dropped and corrupt ones survive restarts. */
  public static final class Counts {
    /** Queued and not acknowledged, in-flight ones included. */
    public final long pendingRecords;
    public final long pendingBytes;
    /** In batches handed out and not yet settled. */
    public final long inFlightRecords;
    /** Expired before delivery. */
    public final long droppedTtl;
    /** Dropped, oldest first, to stay within the caps. */
    public final long droppedCap;
    /** Refused by the collector (a 4xx other than 408, 413, 429). */
    public final long droppedRejected;
    /** A single record refused with 413. */
    public final long droppedTooLarge;
    /** Torn or corrupt frames found at open and skipped. */
    public final long corruptSkipped;
    /** No batch is offered before this time (ms since 1970); 0: now. */
    public final long nextAttemptMs;

    Counts(long[] v) {
      pendingRecords = v[0];
      pendingBytes = v[1];
      inFlightRecords = v[2];
      droppedTtl = v[3];
      droppedCap = v[4];
      droppedRejected = v[5];
      droppedTooLarge = v[6];
      corruptSkipped = v[7];
      nextAttemptMs = v[8];
    }
  }

  private static final int OPTION_FIELDS = 8;
  private static final int COUNT_FIELDS = 9;

  private final Handle handle;
  private final ThreadLocal<Status> lastNextBatch = new ThreadLocal<Status>();

  private Outbox(long address) {
    handle = new Handle("outbox", address);
  }

  /**
   * Opens (creating it if needed) the outbox in {@code directory}, whose parent must exist, for
   * the install {@code source} (a pseudonymous id, 1-128 bytes of printable ASCII).
   * {@code options} may be null (the defaults).
   *
   * @throws CxmException locked (the directory is open elsewhere), io_error or no_space (the
   *     detail names the file and the system's reason), invalid_argument (options)
   */
  public static Outbox open(String directory, String source, Options options) {
    byte[] dir = Cxm.utf8(Objects.requireNonNull(directory, "directory"));
    byte[] src = Cxm.utf8(Objects.requireNonNull(source, "source"));
    return new Outbox(nativeOpen(dir, src, options == null ? null : options.toArray()));
  }

  /**
   * Queues a record (a JSON object) and returns once it is on disk, with its id (a UUIDv7; a
   * record without a string "id" gets this one in the payload).
   *
   * @throws CxmException parse_error, wrong_type (not an object), too_large, not_permitted
   *     (aggregates-only mode), no_space or io_error (nothing was queued)
   */
  public String append(Kind kind, String json) {
    Objects.requireNonNull(kind, "kind");
    byte[] record = Cxm.utf8(Objects.requireNonNull(json, "json"));
    long a = handle.acquire();
    try {
      return Cxm.string(nativeAppend(a, kind.code, record));
    } finally {
      handle.release();
    }
  }

  /**
   * Drains {@code recorder} (what it recorded since its previous drain) into one aggregates
   * record and returns its id, or null when nothing was recorded. On failure the drained
   * values go back into the recorder.
   */
  public String appendAggregates(Recorder recorder) {
    Objects.requireNonNull(recorder, "recorder");
    long a = handle.acquire();
    try {
      long r = recorder.acquire();
      try {
        byte[] id = nativeAppendAggregates(a, r);
        return id == null ? null : Cxm.string(id);
      } finally {
        recorder.release();
      }
    } finally {
      handle.release();
    }
  }

  /**
   * The next batch, its payload at most {@code maxBytes} (at least 1024), or null when there is
   * none to send now; {@link #lastNextBatchStatus} then tells why.
   *
   * @throws IllegalArgumentException for a negative {@code maxBytes}
   */
  public Batch nextBatch(int maxBytes) {
    if (maxBytes < 0) throw new IllegalArgumentException("maxBytes < 0");
    byte[][] strings = new byte[3][];
    long[] records = new long[1];
    int code;
    long a = handle.acquire();
    try {
      code = nativeNextBatch(a, maxBytes, strings, records);
    } finally {
      handle.release();
    }
    Status status = Status.of(code);
    lastNextBatch.set(status);
    if (status != Status.OK) return null;
    return new Batch(Cxm.string(strings[0]), Cxm.string(strings[1]), strings[2], records[0]);
  }

  /**
   * Why this thread's latest {@link #nextBatch} on this outbox returned what it did: {@link
   * Status#OK} (a batch), {@link Status#EMPTY} (nothing to send), {@link Status#NOT_PERMITTED}
   * (consent not given) or {@link Status#RETRY_LATER} (backing off after a failure: see
   * {@link Counts#nextAttemptMs}); null before the first call.
   */
  public Status lastNextBatchStatus() {
    return lastNextBatch.get();
  }

  /**
   * The collector stored the batch: its records are deleted.
   *
   * @throws CxmException not_found for an unknown or already settled batch
   */
  public void ack(String batchId) {
    byte[] id = Cxm.utf8z(Objects.requireNonNull(batchId, "batchId"));
    long a = handle.acquire();
    try {
      nativeAck(a, id);
    } finally {
      handle.release();
    }
  }

  /**
   * Sending failed. {@code httpStatus}: 0 for a network error or timeout, else the HTTP status;
   * {@code retryAfterMs}: the Retry-After header in ms, 0 when absent. Network errors, 408,
   * 429 and 5xx retry later with backoff; 413 halves the batches; another 4xx drops the
   * batch's records (counted).
   *
   * @throws CxmException not_found for an unknown or already settled batch
   */
  public void fail(String batchId, int httpStatus, long retryAfterMs) {
    byte[] id = Cxm.utf8z(Objects.requireNonNull(batchId, "batchId"));
    long a = handle.acquire();
    try {
      nativeFail(a, id, httpStatus, retryAfterMs);
    } finally {
      handle.release();
    }
  }

  /** Records the user's decision (persisted; takes effect at once). */
  public void setConsent(Consent consent) {
    Objects.requireNonNull(consent, "consent");
    long a = handle.acquire();
    try {
      nativeSetConsent(a, consent.code);
    } finally {
      handle.release();
    }
  }

  /** The user's current decision. */
  public Consent consent() {
    long a = handle.acquire();
    try {
      return Consent.of(nativeConsent(a));
    } finally {
      handle.release();
    }
  }

  /** Deletes every queued record, in-flight ones included (the user asked to delete their data). */
  public void purge() {
    long a = handle.acquire();
    try {
      nativePurge(a);
    } finally {
      handle.release();
    }
  }

  /** The counters. */
  public Counts counts() {
    long[] v = new long[COUNT_FIELDS];
    long a = handle.acquire();
    try {
      nativeCounts(a, v);
    } finally {
      handle.release();
    }
    return new Counts(v);
  }

  /**
   * Closes the outbox once the calls under way have returned: the directory is released and
   * queued records stay on disk for the next open. Idempotent.
   */
  @Override
  public void close() {
    long a = handle.take();
    if (a != 0) nativeClose(a);
  }

  private static native void nativeOptionsInit(long[] out);

  private static native long nativeOpen(byte[] directory, byte[] source, long[] options);

  private static native void nativeClose(long outbox);

  private static native byte[] nativeAppend(long outbox, int kind, byte[] json);

  private static native byte[] nativeAppendAggregates(long outbox, long recorder);

  private static native int nativeNextBatch(long outbox, int maxBytes, byte[][] strings, long[] records);

  private static native void nativeAck(long outbox, byte[] batchIdNul);

  private static native void nativeFail(long outbox, byte[] batchIdNul, int httpStatus, long retryAfterMs);

  private static native void nativeSetConsent(long outbox, int consent);

  private static native int nativeConsent(long outbox);

  private static native void nativePurge(long outbox);

  private static native void nativeCounts(long outbox, long[] out);
}
