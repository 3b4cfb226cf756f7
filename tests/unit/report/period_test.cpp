// SPDX-License-Identifier: MIT
// (being written: the report module, docs/report.md)
