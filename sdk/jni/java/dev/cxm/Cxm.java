// SPDX-License-Identifier: MIT
// Loads the native library of cxm's Java API and converts text between Java and cxm.
package dev.cxm;

import java.nio.charset.StandardCharsets;

/**
 * The cxm library: its version and the names of its statuses. Every class of {@code dev.cxm}
 * loads {@code libcxm_jni} (which needs {@code libcxm}) through this class on first use.
 *
 * <p>Text crosses the native boundary as UTF-8 bytes, never as JNI strings: JNI's string
 * functions ({@code GetStringUTFChars}, {@code NewStringUTF}) speak <em>modified</em> UTF-8,
 * which encodes a character outside the Basic Multilingual Plane (an emoji) as two 3-byte
 * surrogates and U+0000 as two bytes; cxm would reject the first as invalid UTF-8 and the JVM
 * may abort on real 4-byte sequences coming back. {@link String#getBytes} and
 * {@code new String(bytes, UTF_8)} use standard UTF-8 both ways, so every character
 * round-trips. (A lone surrogate, which no UTF-8 can encode, becomes '?'.)
 */
public final class Cxm {
  static {
    System.loadLibrary("cxm_jni");
  }

  private Cxm() {}

  /** Makes sure the native library is loaded (the static initializer runs once). */
  static void load() {}

  /** The version of the cxm library loaded, "major.minor.patch". */
  public static String version() {
    return string(nativeVersion());
  }

  /** The version of the cxm library loaded: {major, minor, patch}. */
  public static int[] versionNumbers() {
    int[] out = new int[3];
    nativeVersionNumbers(out);
    return out;
  }

  /** The short name of a status number ("out_of_range"); "unknown" for a number cxm lacks. */
  public static String statusName(int code) {
    return string(nativeStatusName(code));
  }

  /** A description of a status number ("value out of range"). */
  public static String statusMessage(int code) {
    return string(nativeStatusMessage(code));
  }

  /** The UTF-8 bytes of {@code s} (standard UTF-8, see the class comment). */
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The UTF-8 bytes of {@code s} followed by a NUL, for cxm's NUL-terminated arguments. */
  static byte[] utf8z(String s) {
    byte[] b = utf8(s);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }

  /** The text of UTF-8 bytes from cxm. */
  static String string(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  private static native byte[] nativeVersion();

  private static native void nativeVersionNumbers(int[] out);

  private static native byte[] nativeStatusName(int code);

  private static native byte[] nativeStatusMessage(int code);
}
