// SPDX-License-Identifier: MIT
// The statuses of cxm's calls, the numbers of the C ABI's cxm_status (cxm/c/base.h).
package dev.cxm;

import java.util.Locale;

/**
 * The outcome of a cxm call: the numbers of {@code cxm_status} in {@code cxm/c/base.h}, which
 * are the same on every surface, append-only and never reused. A constant's lower-case name is
 * cxm's name for it ({@link Cxm#statusName}); the Java test checks both against the library.
 */
public enum Status {
  OK(0),
  INVALID_ARGUMENT(1),
  OUT_OF_RANGE(2),
  NOT_INTEGER(3),
  NOT_FINITE(4),
  WRONG_TYPE(5),
  INCOMPATIBLE(6),
  UNSUPPORTED_VERSION(7),
  PARSE_ERROR(8),
  DUPLICATE_KEY(9),
  MISSING_FIELD(10),
  TOO_LARGE(11),
  TOO_DEEP(12),
  INVALID_UTF8(13),
  DUPLICATE_ID(14),
  EMPTY(15),
  IO_ERROR(16),
  INTERNAL(17),
  LOCKED(18),
  NO_SPACE(19),
  NOT_FOUND(20),
  CORRUPT(21),
  NOT_PERMITTED(22),
  RETRY_LATER(23);

  private static final Status[] BY_CODE = values();

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** The number of the status in the C ABI. */
  public int code() {
    return code;
  }

  /** cxm's name of the status, e.g. "out_of_range". */
  public String statusName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The status numbered {@code code}, or null for a number this class does not know (a newer
   * library's status).
   */
  public static Status of(int code) {
    // The constants are declared in code order from 0, so the code is the index.
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
