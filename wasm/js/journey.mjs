// SPDX-License-Identifier: MIT
// The journey tracker of the JS API (types in journey.d.ts): JourneyDefinition, JourneyTracker
// and JourneyReport, which loadCxm() (cxm.mjs) adds to the API object of a full module. Each
// class lives in its own module; this one puts them together for one loaded module.

import { defineJourneyDefinition } from './journey_definition.mjs';
import { defineJourneyReport } from './journey_report.mjs';
import { defineJourneyTracker } from './journey_tracker.mjs';

/**
 * The journey members of the API object of one loaded module.
 * @param ctx the module's context (context.mjs createContext).
 */
export function attachJourney(ctx) {
  const JourneyDefinition = defineJourneyDefinition(ctx);
  const JourneyReport = defineJourneyReport(ctx);
  const JourneyTracker = defineJourneyTracker(ctx, JourneyReport);
  return { JourneyDefinition, JourneyTracker, JourneyReport };
}
