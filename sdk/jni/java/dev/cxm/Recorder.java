// SPDX-License-Identifier: MIT
// Named metrics recorded from any number of threads at once, with snapshots as JSON.
package dev.cxm;

import java.util.Objects;

/**
 * NPS and scale answers and durations recorded into named metrics from any number of threads
 * at once ({@code cxm_recorder_*}, cxm/device/recorder.hpp). Each recording thread writes its
 * own shard, so threads do not slow each other down; a snapshot is the merge of every record
 * that happened before it. Hand the recorder to {@link Outbox#appendAggregates} to queue what
 * was recorded for delivery.
 *
 * <p><b>Thread safety</b>: every method may be called from any thread at any time. {@link
 * #close} waits for the snapshots and lookups under way, but the record methods take no lock
 * (a lock shared by every recording thread would cost more than the recording): close the
 * recorder only after recording has stopped, or a record racing close may touch freed memory.
 */
public final class Recorder implements AutoCloseable {
  static {
    Cxm.load();
  }

  /** A metric of 0-10 answers (an NPS tally): {@code CXM_METRIC_NPS}. */
  public static final int NPS = 0;
  /** A metric of answers on a scale (a scale tally): {@code CXM_METRIC_SCALE}. */
  public static final int SCALE = 1;
  /** A metric of durations (a duration sketch, ms by convention): {@code CXM_METRIC_DURATION}. */
  public static final int DURATION = 2;

  /** The 1-7 customer effort scale, easy = 5-7 ({@code CXM_SCALE_CES7}). */
  public static final int CES7 = 0;
  /** The legacy 1-5 customer effort scale, easy = 4-5 ({@code CXM_SCALE_CES5}). */
  public static final int CES5 = 1;
  /** The 1-5 satisfaction scale, satisfied = 4-5 ({@code CXM_SCALE_CSAT5}). */
  public static final int CSAT5 = 2;

  private final Handle handle;

  private Recorder(long address) {
    handle = new Handle("recorder", address);
  }

  /**
   * A recorder of the metrics {@code names[i]} (UTF-8, 1-128 bytes, unique) of kind {@code
   * kinds[i]} ({@link #NPS}, {@link #SCALE}, {@link #DURATION}); {@code scales[i]} ({@link
   * #CES7}, {@link #CES5}, {@link #CSAT5}) is read for scale metrics only. Duration metrics use
   * the default sketch settings (scale 6, relative error 0.54%).
   *
   * @throws IllegalArgumentException when the three arrays differ in length
   * @throws CxmException invalid_argument naming the metric: an empty or duplicate name, an
   *     unknown kind or scale, fewer than 1 or more than 4096 metrics
   */
  public static Recorder create(String[] names, int[] kinds, int[] scales) {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(scales, "scales");
    if (kinds.length != names.length || scales.length != names.length) {
      throw new IllegalArgumentException("names, kinds and scales must have the same length");
    }
    byte[][] utf8 = new byte[names.length][];
    for (int i = 0; i < names.length; ++i) {
      utf8[i] = Cxm.utf8(Objects.requireNonNull(names[i], "names[" + i + "]"));
    }
    return new Recorder(nativeCreate(utf8, kinds, scales));
  }

  /** The index of the metric named {@code name}, or -1 when there is none. */
  public int find(String name) {
    byte[] utf8 = Cxm.utf8(Objects.requireNonNull(name, "name"));
    long a = handle.acquire();
    try {
      return nativeFind(a, utf8);
    } finally {
      handle.release();
    }
  }

  /**
   * Records an integer answer to an NPS or scale metric: the fast path (no allocation after
   * the thread's first record). An answer that is not one (11 on NPS, 0 on CES7) is rejected,
   * counted in the metric and returned ({@link Status#OUT_OF_RANGE}); otherwise {@link
   * Status#OK}.
   *
   * @throws CxmException invalid_argument for an index past the metrics or a duration metric
   */
  public Status recordInt(int metric, int answer) {
    return Status.of(nativeRecordInt(handle.peek(), metric, answer));
  }

  /**
   * Records a numeric answer to an NPS or scale metric; rejected and counted as for {@link
   * #recordInt}, and also {@link Status#NOT_INTEGER} (9.5) and {@link Status#NOT_FINITE}.
   */
  public Status record(int metric, double answer) {
    return Status.of(nativeRecord(handle.peek(), metric, answer));
  }

  /**
   * Records a duration (ms by convention) into a duration metric. Rejected and counted: {@link
   * Status#NOT_FINITE}, {@link Status#OUT_OF_RANGE} (negative).
   *
   * @throws CxmException invalid_argument for an index past the metrics or a tally metric
   */
  public Status recordDuration(int metric, double duration) {
    return Status.of(nativeRecordDuration(handle.peek(), metric, duration));
  }

  /**
   * Everything recorded so far, merged: the JSON {@code cxm.recorder_snapshot} version 1
   * (docs/outbox.md), each metric's value in its own versioned JSON form.
   */
  public String snapshotJson() {
    long a = handle.acquire();
    try {
      return Cxm.string(nativeSnapshotJson(a));
    } finally {
      handle.release();
    }
  }

  /**
   * Frees the recorder once the snapshots and lookups under way have returned; recording must
   * have stopped (see the class comment). Idempotent.
   */
  @Override
  public void close() {
    long a = handle.take();
    if (a != 0) nativeDestroy(a);
  }

  /** For {@link Outbox#appendAggregates}: holds the recorder open until {@link #release}. */
  long acquire() {
    return handle.acquire();
  }

  void release() {
    handle.release();
  }

  private static native long nativeCreate(byte[][] names, int[] kinds, int[] scales);

  private static native void nativeDestroy(long recorder);

  private static native int nativeFind(long recorder, byte[] name);

  private static native int nativeRecordInt(long recorder, int metric, int answer);

  private static native int nativeRecord(long recorder, int metric, double answer);

  private static native int nativeRecordDuration(long recorder, int metric, double duration);

  private static native byte[] nativeSnapshotJson(long recorder);
}
