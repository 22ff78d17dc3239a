// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lisa/engine/scan.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/report/indicators.hpp"
#include "lisa/report/score.hpp"
#include "lisa/rules/loader.hpp"

namespace lisa {

/// Everything a report writer needs; plain references to the scan's inputs and outputs.
struct Report {
    std::string tool_version;
    std::string as_of;             ///< YYYY-MM-DD
    std::string started;           ///< ISO 8601 UTC; fixed to as_of when --as-of is given
    std::string finished;
    std::string rule_pack_sha256;
    std::string inventory_sha256;
    std::vector<std::string> systems;  ///< --system selection, empty for all
    std::string lang = "sv";

    const Inventory* inventory = nullptr;
    const RuleSet* rules = nullptr;
    const ScanResult* scan = nullptr;
    Score score;
    std::vector<IndicatorAnswer> indicators;   ///< Socialstyrelsen survey answers
    const Benchmarks* benchmarks = nullptr;    ///< for the caveat; may be null
    std::vector<FrameworkCoverage> frameworks; ///< e.g. ISO/IEC 27001:2022 Annex A coverage
};

/// Serialises a Report. Writers never open files: the caller owns the stream.
class ReportWriter {
public:
    virtual ~ReportWriter() = default;
    [[nodiscard]] virtual std::string_view format() const noexcept = 0;
    virtual void write(const Report& report, std::ostream& out) const = 0;
};

/// Canonical JSON (DESIGN §5): sorted, no wall-clock time except run.started/finished.
class JsonReportWriter final : public ReportWriter {
public:
    [[nodiscard]] std::string_view format() const noexcept override { return "json"; }
    void write(const Report& report, std::ostream& out) const override;
};

/// Terminal summary: score, per-area score and coverage, failing rules by severity.
class TextReportWriter final : public ReportWriter {
public:
    explicit TextReportWriter(bool color = false) : color_(color) {}
    [[nodiscard]] std::string_view format() const noexcept override { return "text"; }
    void write(const Report& report, std::ostream& out) const override;

private:
    bool color_;
};


}  // namespace lisa

namespace lisa {
/// `lisa probe` output: {"subject": ..., "facts": {NAME: {"value", "provenance", "source"}}}.
void write_probe_json(const std::string& subject, const Facts& facts, const std::string& error,
                      std::ostream& out);
}  // namespace lisa
