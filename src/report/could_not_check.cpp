// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/could_not_check.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lisa {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return s;
}

bool has(const std::string& text, std::initializer_list<const char*> words) {
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return text.find(w) != std::string::npos; });
}

/// The directory a related subject's error names: the ldap probe words every access group's
/// error "directory '<id>' …" (ldap_probe.cpp), so the group's findings join its directory's cause.
std::string named_directory(std::string_view message) {
    constexpr std::string_view kMarker = "directory '";
    const auto at = message.find(kMarker);
    if (at == std::string_view::npos) return {};
    const auto start = at + kMarker.size();
    const auto end = message.find('\'', start);
    return end == std::string_view::npos ? std::string() : std::string(message.substr(start, end - start));
}

/// What a group lists: a directory by its id (the inventory's name for it, not the host it
/// happens to live on), anything else by the address or file its probe reached for.
std::string target_of(const ProbeRecord& run) {
    if (run.probe == "ldap") return run.subject;
    return run.target.empty() ? run.subject : run.target;
}

}  // namespace

Cause cause_of(const std::string& probe_error) {
    const std::string e = lower(probe_error);
    // Read whole, but no decision in it (document_probe.cpp): the file is fine, its text says too little.
    // So is a decision dated on a day no calendar has: no decision date can be read from it.
    if (has(e, {"no decision (beslutad", "a date that does not exist"})) return Cause::NoDecision;
    // The ldap probe's words (ldap_probe.cpp): before File, whose "not found" they share.
    if (has(e, {"not found in directory as a group"})) return Cause::GroupNotFound;
    if (has(e, {"could not be read by the scan account"})) return Cause::UnreadableMembers;
    // The document readers' own messages (readers.cpp, isolated_reader.cpp, the size cap): the file
    // is there but cannot be read as evidence. Before File and Timeout, whose words they share.
    if (has(e, {"damaged pdf", "encrypted pdf", "scanned pdf", "zip container", "zip bomb", "neither docx",
                "html page cannot be parsed", "not a format lisa reads", "document reader", "reading the document",
                "the document's text", "the reader failed", "the file is empty"}) ||
        (has(e, {"evidence file"}) && has(e, {"over the limit"}))) {
        return Cause::Document;
    }
    if (has(e, {"cannot resolve", "could not resolve", "name or service not known", "no address associated",
                "temporary failure in name resolution"})) {
        return Cause::Resolve;
    }
    if (has(e, {"timed out", "timeout", "deadline"})) return Cause::Timeout;
    if (has(e, {"tls to the directory failed", "starttls", "names another host", "not trusted"})) return Cause::Tls;
    if (has(e, {"ca_file", "ca file"})) return Cause::CaFile;
    if (has(e, {"environment variable", "password file", "password_env", "password_file", "keytab"})) {
        return Cause::Secret;
    }
    if (has(e, {"refuses paged searches", "pagedresults"})) return Cause::Paging;
    if (has(e, {"bind failed", "bind as", "invalid credentials"})) return Cause::Bind;
    if (has(e, {"cannot connect", "connection refused", "couldn't connect", "could not connect", "no route to host",
                "unreachable", "can't contact"})) {
        return Cause::Connect;
    }
    if (has(e, {"no such file", "not found", "cannot open", "cannot read", "not a regular file", "permission denied"})) {
        return Cause::File;
    }
    return Cause::Other;
}

std::vector<CauseGroup> group_could_not_check(const ReportDocument& report) {
    // The failed probe runs per subject id (the first one's error names the cause).
    std::map<std::string, const ProbeRecord*, std::less<>> failed;
    for (const auto& run : report.probes) {
        if (!run.error.empty()) failed.emplace(run.subject, &run);
    }
    std::map<Cause, std::pair<std::size_t, std::set<std::string>>> groups;
    std::map<Cause, std::pair<std::string, std::string>> examples;  // message, its target
    for (const auto& f : report.findings) {
        if (f.status != Status::Error) continue;
        const ProbeRecord* run = nullptr;
        // The subject, then each ancestor: the id cut at its last '/'.
        std::string_view s = f.subject;
        while (run == nullptr) {
            if (auto it = failed.find(s); it != failed.end()) {
                run = it->second;
                break;
            }
            const auto slash = s.rfind('/');
            if (slash == std::string_view::npos || slash == 0) break;
            s = s.substr(0, slash);
        }
        if (run == nullptr) {
            // An access group lives under its system, not its directory: its error names the
            // directory, whose one failure is one cause (not "other reasons" once per group).
            if (auto it = failed.find(named_directory(f.message)); it != failed.end()) run = it->second;
        }
        const Cause cause = cause_of(run ? run->error : f.message);
        auto& g = groups[cause];
        ++g.first;
        const std::string target = run ? target_of(*run) : f.subject;
        g.second.insert(target);
        if (examples[cause].first.empty()) {
            examples[cause] = {run ? run->error : f.message, target};
        }
    }
    std::vector<CauseGroup> out;
    for (auto& [cause, g] : groups) {
        out.push_back({cause, g.first, std::vector<std::string>(g.second.begin(), g.second.end()), examples[cause].first,
                       examples[cause].second});
    }
    return out;
}

namespace {

/// The catalogue key of a cause ("cause.<id>.one|many|advice|example…", rules/labels/labels.yaml).
std::string_view cause_key(Cause cause) {
    switch (cause) {
        case Cause::Resolve: return "resolve";
        case Cause::Connect: return "connect";
        case Cause::Timeout: return "timeout";
        case Cause::Tls: return "tls";
        case Cause::CaFile: return "ca_file";
        case Cause::Secret: return "secret";
        case Cause::Bind: return "bind";
        case Cause::Paging: return "paging";
        case Cause::File: return "file";
        case Cause::Document: return "document";
        case Cause::NoDecision: return "no_decision";
        case Cause::GroupNotFound: return "group_not_found";
        case Cause::UnreadableMembers: return "unreadable_members";
        case Cause::Other: break;
    }
    return "other";
}

std::string key(Cause cause, std::string_view part) {
    return "cause." + std::string(cause_key(cause)) + "." + std::string(part);
}

/// Which worded example of a cause fits the probe's message: a TLS failure by what was wrong with
/// the certificate, an unreadable document by why it could not be read; else the cause's own.
std::string example_key(const CauseGroup& group) {
    const std::string e = lower(group.example);
    if (group.cause == Cause::Tls) {
        if (e.find("names another host") != std::string::npos) return key(group.cause, "example_other_name");
        if (e.find("not trusted") != std::string::npos) return key(group.cause, "example_untrusted");
    }
    if (group.cause == Cause::Document) {
        if (e.find("scanned pdf") != std::string::npos) return key(group.cause, "example_scanned");
        if (e.find("encrypted pdf") != std::string::npos) return key(group.cause, "example_encrypted");
        if (e.find("over the limit") != std::string::npos) return key(group.cause, "example_too_large");
    }
    return key(group.cause, "example");
}

}  // namespace

std::string cause_text(Cause cause, std::size_t n, const std::string& lang, const Labels& labels) {
    return std::to_string(n) + " " + labels.word(key(cause, n == 1 ? "one" : "many"), lang);
}

std::string cause_advice(Cause cause, const std::string& lang, const Labels& labels) {
    return labels.word(key(cause, "advice"), lang);
}

std::string cause_in_brief(const std::string& probe_error, const std::string& lang, const Labels& labels) {
    const Cause cause = cause_of(probe_error);
    if (lang != "sv" || cause == Cause::Other) {
        return probe_error;
    }
    return labels.word(key(cause, "one"), lang);
}

std::string cause_for_check(const std::string& probe_error, const std::string& lang, const Labels& labels) {
    const Cause cause = cause_of(probe_error);
    if (lang != "sv" || cause == Cause::Other) {
        return probe_error;
    }
    return cause_in_brief(probe_error, lang, labels) + " – " + cause_advice(cause, lang, labels);
}

std::string cause_example(const CauseGroup& group, const std::string& lang, const Labels& labels) {
    if (lang != "sv") return group.example;
    // The example's own target: the Swedish line says what the quoted message says, of the same file or host.
    const std::string target = !group.example_target.empty() ? group.example_target
                               : group.targets.empty()        ? std::string("?")
                                                              : group.targets.front();
    return labels.format(example_key(group), lang, {{"target", target}});
}

}  // namespace lisa
