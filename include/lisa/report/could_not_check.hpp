// SPDX-License-Identifier: Apache-2.0
// "Could not check", grouped by cause for the text summary (issue 16 item 5): instead of one line
// per rule and subject, "12 checks could not run: 3 names do not resolve: a, b, c".
#pragma once

#include <string>
#include <vector>

#include "lisa/report/document.hpp"
#include "lisa/report/labels.hpp"

namespace lisa {

/// Why a probe could not collect its facts, read from the probe's error message (the messages of
/// src/probes/*: "cannot resolve …", "cannot connect to …", "timed out", "ca_file", "password …",
/// "bind failed", missing evidence files; "tls to the directory failed" / StartTLS refused;
/// paged searches refused; an evidence document lisa cannot read: damaged, encrypted, scanned
/// without text, too large, not a format it reads; NoDecision: a document lisa read whole but in
/// whose text and metadata no decision fact was found — document_probe.cpp's "no decision (…)
/// found in the document's text"). Order is the order of the summary.
enum class Cause {
    Resolve, Connect, Timeout, Tls, CaFile, Secret, Bind, Paging, File, Document, NoDecision,
    GroupNotFound,      ///< an access group's DN names no group the scan account reads
    UnreadableMembers,  ///< members of a group the scan account cannot read (AD)
    Other
};

struct CauseGroup {
    Cause cause = Cause::Other;
    std::size_t checks = 0;            ///< error findings with this cause
    /// The distinct names, sorted: a directory by its inventory id (its access groups' findings
    /// join its one cause, since their errors name it), an endpoint or URL by host[:port].
    std::vector<std::string> targets;
    std::string example;               ///< the first probe message of the group, as the probe wrote it
    std::string example_target;        ///< the target that message is about (one of `targets`)
};

/// Every `error` finding of the report, grouped by the cause of the failed probe run on its subject
/// or on the nearest ancestor's (subject ids nest with '/': "procapita/https://…"); a finding
/// without one is Other, named by its subject id.
[[nodiscard]] std::vector<CauseGroup> group_could_not_check(const ReportDocument& report);

/// The cause of one probe error message.
[[nodiscard]] Cause cause_of(const std::string& probe_error);

// Every word below comes from the label catalogue (rules/labels/labels.yaml, keys
// `cause.<cause>.one|many|advice|example*`, placeholder {target}), so a municipality's --labels
// file rewords them; `labels` defaults to the shipped catalogue.

/// "3 names do not resolve" / "3 namn går inte att slå upp" (lang "sv" or "en"); n = targets.
[[nodiscard]] std::string cause_text(Cause cause, std::size_t n, const std::string& lang,
                                     const Labels& labels = Labels::builtin());

/// What to do about a cause, one sentence (sv or en).
[[nodiscard]] std::string cause_advice(Cause cause, const std::string& lang, const Labels& labels = Labels::builtin());

/// One check that could not run, worded for its own row in the reader's language: the cause and
/// what to do ("adress svarar inte – kontrollera port och brandvägg, …"). "en", and a cause lisa
/// does not recognise, keep the probe's own message (it is the only reason there is).
[[nodiscard]] std::string cause_for_check(const std::string& probe_error, const std::string& lang,
                                          const Labels& labels = Labels::builtin());

/// The cause alone, for a line that names one probe run ("adress svarar inte"); "en", and a cause
/// lisa does not recognise, keep the probe's own message.
[[nodiscard]] std::string cause_in_brief(const std::string& probe_error, const std::string& lang,
                                         const Labels& labels = Labels::builtin());

/// The "t.ex."/"e.g." line of a group in the reader's language: "en" quotes the probe's own
/// message; "sv" says the same in Swedish for the first target (the probe's English words stay
/// in the JSON and HTML reports, per check).
[[nodiscard]] std::string cause_example(const CauseGroup& group, const std::string& lang,
                                        const Labels& labels = Labels::builtin());

}  // namespace lisa
