// SPDX-License-Identifier: MIT
// A validated survey definition: which questions to show, and scoring of answers.
package dev.cxm;

import java.util.Objects;

/**
 * A survey definition ({@code cxm.survey} version 1, docs/survey.schema.json), parsed and
 * validated by cxm ({@code cxm_survey_*}). Immutable: its methods may run on several threads
 * at once. Close it to free the native definition; a closed survey throws
 * {@link IllegalStateException}.
 */
public final class Survey implements AutoCloseable {
  static {
    Cxm.load();
  }

  private final Handle handle;

  private Survey(long address) {
    handle = new Handle("survey", address);
  }

  /**
   * Parses and validates a definition (at most 256 KiB of UTF-8).
   *
   * @throws CxmException parse_error, invalid_utf8, incompatible (not a cxm.survey),
   *     unsupported_version or a field error; the detail is the first problem as "path: reason"
   */
  public static Survey parse(String json) {
    return new Survey(nativeParse(Cxm.utf8(Objects.requireNonNull(json, "json"))));
  }

  /**
   * The ids of the questions to show given the answers so far (a JSON object from question id
   * to answer), as a JSON array of strings in survey order, e.g. {@code ["nps","reason"]}.
   *
   * @throws CxmException when the answers document cannot be read (detail "answers: ...")
   */
  public String visibleQuestions(String answersJson) {
    byte[] answers = Cxm.utf8(Objects.requireNonNull(answersJson, "answersJson"));
    long a = handle.acquire();
    try {
      return Cxm.string(nativeVisibleQuestions(a, answers));
    } finally {
      handle.release();
    }
  }

  /**
   * Validates and scores one respondent's answers: the JSON {@code cxm.scored_response}
   * version 1 (every question's state and score, {@code ok}, and the problems). Invalid answers
   * are reported in the result, not thrown.
   *
   * @throws CxmException when the answers document cannot be read (detail "answers: ...")
   */
  public String score(String answersJson) {
    byte[] answers = Cxm.utf8(Objects.requireNonNull(answersJson, "answersJson"));
    long a = handle.acquire();
    try {
      return Cxm.string(nativeScore(a, answers));
    } finally {
      handle.release();
    }
  }

  /** Frees the definition once calls under way have returned. Idempotent. */
  @Override
  public void close() {
    long a = handle.take();
    if (a != 0) nativeDestroy(a);
  }

  private static native long nativeParse(byte[] json);

  private static native void nativeDestroy(long survey);

  private static native byte[] nativeVisibleQuestions(long survey, byte[] answers);

  private static native byte[] nativeScore(long survey, byte[] answers);
}
