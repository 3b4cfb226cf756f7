// SPDX-License-Identifier: MIT
// SurveyTally: the wrapper of the core's survey_tally (bindings_survey_tally.cpp), the analysis
// side of surveys: valid responses folded in question by question, mergeable, with copies of
// the NPS and CES/CSAT tallies of its questions. Full module only.

import { CxmError, errc, limits, describe, checkDocument } from './context.mjs';
import { answersText, checkQuestion } from './survey.mjs';

/**
 * The SurveyTally class of one loaded module (`ctx`: createContext's); `classes` holds the
 * module's NpsTally and ScaleTally, which npsTally() and scaleTally() return, and the
 * unwrap() of its survey.mjs.
 */
export function defineSurveyTally(ctx, { NpsTally, ScaleTally, unwrap }) {
  const { wasm, ADOPT, Owned, fail } = ctx;

  class SurveyTally extends Owned {
    /** An empty tally of the valid responses to `survey`. */
    constructor(survey) {
      let handle;
      if (survey === ADOPT) {
        handle = arguments[1];
      } else {
        const s = Owned._handleOf(survey, 'Survey');
        if (s === null)
          throw new CxmError(errc.invalid_argument, `new SurveyTally(survey) needs a Survey of this module, got ${describe(survey)}`);
        handle = wasm.SurveyTally.make(s);
      }
      super(handle, 'SurveyTally');
    }
    /** Validates and folds in one response: {ok, problems}; an invalid one only counts as rejected. */
    add(answers) {
      const text = answersText(answers);  // first: the caller's getters may run
      return unwrap(this._live().add(text));
    }
    /** Adds other's counts; CxmError incompatible (no change) unless same survey id, version and layout. */
    merge(other) {
      const o = Owned._handleOf(other, 'SurveyTally');
      if (o === null)
        throw new CxmError(errc.incompatible, `merge expects a SurveyTally of the same module, got ${describe(other)}`);
      const code = this._live().merge(o);
      if (code !== 0) throw fail(code, 'cannot merge tallies of different surveys, versions or question layouts');
    }
    /** Valid responses folded in. */
    responses() { return this._live().responses(); }
    /** Responses refused by validation. */
    rejected() { return this._live().rejected(); }
    /** The versioned encoding (format cxm.survey_tally, version 2) as text. */
    toJson() { return this._live().toJson(); }
    /** The same as a plain object (so JSON.stringify(tally) writes the format). */
    toJSON() { return JSON.parse(this.toJson()); }
    /**
     * One question's counts: {id, type, shown, answered, invalid, skipped, problems}, where
     * skipped = shown − answered − invalid (the core's) and problems maps a reason (codeName) to
     * its count. CxmError invalid_argument for a question the survey does not have.
     */
    question(questionId) {
      const h = this._live();
      return unwrap(h.question(checkQuestion(questionId)));
    }
    /** A copy of an nps question's tally (intervals and all), to dispose of. */
    npsTally(questionId) {
      const h = this._live();
      const r = h.npsTally(checkQuestion(questionId));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new NpsTally(ADOPT, r.tally);
    }
    /** A copy of a ces or csat question's tally, to dispose of. */
    scaleTally(questionId) {
      const h = this._live();
      const r = h.scaleTally(checkQuestion(questionId));
      if (r.code !== 0) throw fail(r.code, r.detail);
      return new ScaleTally(ADOPT, r.tally);
    }
    /**
     * Decodes toJson's output (within survey_tally_json_limits). Without `survey` the tally can
     * merge but not add(); with it, the layouts must match (CxmError incompatible otherwise).
     */
    static fromJson(text, survey) {
      const s = survey === undefined ? undefined : Owned._handleOf(survey, 'Survey');
      if (s === null) throw new CxmError(errc.invalid_argument, `fromJson: survey must be a Survey, got ${describe(survey)}`);
      const r = wasm.SurveyTally.fromJson(checkDocument(text, limits.surveyTallyJsonBytes, 'SurveyTally.fromJson'));
      if (r.code !== 0) throw fail(r.code, r.detail);
      const tally = new SurveyTally(ADOPT, r.tally);
      if (s !== undefined) {
        const code = r.tally.attach(s);
        if (code !== 0) {
          tally.dispose();
          throw fail(code, 'the tally does not belong to this survey (id, version or questions differ)');
        }
      }
      return tally;
    }
  }

  return SurveyTally;
}
