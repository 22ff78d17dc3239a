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

}  // namespace

Cause cause_of(const std::string& probe_error) {
    const std::string e = lower(probe_error);
    if (has(e, {"cannot resolve", "could not resolve", "name or service not known", "no address associated",
                "temporary failure in name resolution"})) {
        return Cause::Resolve;
    }
    if (has(e, {"timed out", "timeout", "deadline"})) return Cause::Timeout;
    if (has(e, {"ca_file", "ca file"})) return Cause::CaFile;
    if (has(e, {"environment variable", "password file", "password_env", "password_file", "keytab"})) {
        return Cause::Secret;
    }
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
    std::map<Cause, std::string> examples;
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
        const Cause cause = run ? cause_of(run->error) : Cause::Other;
        auto& g = groups[cause];
        ++g.first;
        g.second.insert(run && !run->target.empty() ? run->target : f.subject);
        if (examples[cause].empty()) {
            examples[cause] = run ? run->error : f.message;
        }
    }
    std::vector<CauseGroup> out;
    for (auto& [cause, g] : groups) {
        out.push_back({cause, g.first, std::vector<std::string>(g.second.begin(), g.second.end()), examples[cause]});
    }
    return out;
}

std::string cause_text(Cause cause, std::size_t n, const std::string& lang) {
    const bool sv = lang == "sv";
    const bool one = n == 1;
    const std::string count = std::to_string(n) + " ";
    switch (cause) {
        case Cause::Resolve:
            return count + (sv ? "namn går inte att slå upp" : (one ? "name does not resolve" : "names do not resolve"));
        case Cause::Connect:
            return count + (sv ? (one ? "adress svarar inte" : "adresser svarar inte")
                               : (one ? "address does not answer" : "addresses do not answer"));
        case Cause::Timeout:
            return count + (sv ? (one ? "adress svarade inte i tid" : "adresser svarade inte i tid")
                               : (one ? "address did not answer in time" : "addresses did not answer in time"));
        case Cause::CaFile:
            return count + (sv ? (one ? "CA-fil går inte att använda" : "CA-filer går inte att använda")
                               : (one ? "CA file cannot be used" : "CA files cannot be used"));
        case Cause::Secret:
            return count + (sv ? (one ? "lösenord saknas" : "lösenord saknas")
                               : (one ? "password is not set" : "passwords are not set"));
        case Cause::Bind:
            return count + (sv ? (one ? "katalog godtar inte inloggningen" : "kataloger godtar inte inloggningen")
                               : (one ? "directory refuses the bind" : "directories refuse the bind"));
        case Cause::File:
            return count + (sv ? (one ? "fil saknas eller går inte att läsa" : "filer saknas eller går inte att läsa")
                               : (one ? "file is missing or unreadable" : "files are missing or unreadable"));
        case Cause::Other:
            break;
    }
    return count + (sv ? (one ? "annan orsak" : "andra orsaker") : (one ? "other reason" : "other reasons"));
}

std::string cause_advice(Cause cause, const std::string& lang) {
    const bool sv = lang == "sv";
    switch (cause) {
        case Cause::Resolve:
            return sv ? "kontrollera stavningen i inventariet och att datorn når kommunens DNS"
                      : "check the spelling in the inventory and that this machine reaches the municipality's DNS";
        case Cause::Connect:
            return sv ? "kontrollera port och brandvägg, eller kör lisa från ett nät som når adressen"
                      : "check the port and the firewall, or run lisa from a network that reaches the address";
        case Cause::Timeout:
            return sv ? "höj --timeout eller kontrollera nätet" : "raise --timeout or check the network";
        case Cause::CaFile:
            return sv ? "ange en läsbar PEM-fil med rotcertifikatet i ca_file"
                      : "give a readable PEM file holding the root certificate in ca_file";
        case Cause::Secret:
            return sv ? "sätt miljövariabeln i password_env eller skapa filen i password_file"
                      : "set the variable named by password_env or create the password_file";
        case Cause::Bind:
            return sv ? "kontrollera bind_dn och lösenordet" : "check bind_dn and its password";
        case Cause::File:
            return sv ? "kontrollera sökvägarna i inventariet" : "check the paths in the inventory";
        case Cause::Other:
            break;
    }
    return sv ? "se meddelandet per kontroll i rapporten" : "see each check's message in the report";
}

}  // namespace lisa
