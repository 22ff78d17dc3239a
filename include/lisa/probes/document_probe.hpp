// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "lisa/core/fact.hpp"
#include "lisa/engine/probe.hpp"

namespace lisa {

/// Largest evidence file the document probe reads (bytes).
inline constexpr std::size_t kMaxEvidenceBytes = 32 * 1024 * 1024;

/// Lower-case hex SHA-256 of the bytes.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/**
 * Pure: facts from an evidence file's bytes. YAML front matter ("---" line, YAML, "---" line)
 * gives document.beslutad, beslutad_av, diarienummer, omfattning, giltig_till and every other
 * key as document.front_matter.<key>; document.age_days is as_of − beslutad.
 *
 * The front matter is held to lisa's input rules (the YAML reader of the inventory and rules):
 * valid UTF-8 (a BOM is skipped), no key twice in a map at any depth, dates only as YYYY-MM-DD
 * (`beslutad`/`giltig_till` must be dates; any other plain value written like a date —
 * "2024-1-5", "5.1.2024" — must be a valid one). On any problem no front-matter fact is given
 * and `*error` is set to "front matter: FILE:LINE:COL: message; …" (file lines), which the probe
 * reports as its error, so rules reading those facts end in `error`, never in "not stated".
 */
[[nodiscard]] Facts document_facts(std::string_view bytes, const std::string& source, Date as_of,
                                   std::string* error);

/**
 * The level a decision body belongs to, as Socialstyrelsen's 2021 follow-up question asks it
 * ("På vilken nivå redovisas och beslutas om åtgärder …", 000 B2 T4): "kommunstyrelsen" (I
 * kommunstyrelsen), "socialnamnden" (I socialnämnden eller motsvarande: any nämnd),
 * "forvaltningsledning" (I förvaltningsledning: förvaltningsledning, förvaltningens ledningsgrupp,
 * förvaltningschef, socialchef) or "annat" (everything else; the report's free text names
 * kommundirektör, sektorsledning, systemägare, styrgrupper). The one mapping: the document probe
 * derives document.beslutsniva from beslutad_av with it.
 */
[[nodiscard]] std::string decision_level(std::string_view beslutad_av);

/// The `document` probe: evidence files named in the inventory.
[[nodiscard]] std::unique_ptr<Probe> make_document_probe();

}  // namespace lisa
