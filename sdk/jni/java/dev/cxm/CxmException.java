// SPDX-License-Identifier: MIT
// The exception a failing cxm call throws: the status, its name and cxm's detail.
package dev.cxm;

/**
 * A cxm call failed. Carries the status number, its name ("parse_error") and the detail cxm
 * left for the failing call ({@code cxm_last_error_detail()}: where and why, e.g.
 * {@code questions[1].show_if.question: unknown question "npss"}). Thrown by the native side
 * right after the failing call, on the same thread, so the detail is that call's.
 */
public final class CxmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String statusName;
  private final String detail;

  /** Called from the native side (the name and the detail are UTF-8, see {@link Cxm}). */
  CxmException(int code, byte[] statusName, byte[] detail) {
    this(code, Cxm.string(statusName), Cxm.string(detail));
  }

  private CxmException(int code, String statusName, String detail) {
    super(detail.isEmpty() ? statusName : statusName + ": " + detail);
    this.code = code;
    this.statusName = statusName;
    this.detail = detail;
  }

  /** The status number (cxm_status). */
  public int code() {
    return code;
  }

  /** The status, or null when this class does not know the number (a newer library). */
  public Status status() {
    return Status.of(code);
  }

  /** cxm's name of the status, e.g. "locked". */
  public String statusName() {
    return statusName;
  }

  /** cxm's detail of the failure; may be empty. */
  public String detail() {
    return detail;
  }
}
