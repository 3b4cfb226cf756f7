// SPDX-License-Identifier: MIT
/// @file report.hpp  The report module: calendar periods in time zones, and the analyst's
/// report model (totals, trends, breakdowns with comparisons) with its printers.
#ifndef CXM_REPORT_HPP
#define CXM_REPORT_HPP

#include "cxm/report/latest.hpp"
#include "cxm/report/period.hpp"
#include "cxm/report/report.hpp"

#endif  // CXM_REPORT_HPP
