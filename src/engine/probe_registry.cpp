// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

#include "lisa/engine/probe.hpp"

namespace lisa {

void ProbeRegistry::add(std::unique_ptr<Probe> probe) {
    if (find(probe->spec().kind) != nullptr) {
        throw std::logic_error("probe kind registered twice: " + probe->spec().kind);
    }
    probes_.push_back(std::move(probe));
}

Probe* ProbeRegistry::find(std::string_view kind) const {
    for (const auto& probe : probes_) {
        if (probe->spec().kind == kind) {
            return probe.get();
        }
    }
    return nullptr;
}

const Value* find_value(const Facts& facts, std::string_view name) {
    const auto it = facts.find(name);
    return it == facts.end() ? nullptr : &it->second.value;
}

std::string string_fact(const Facts& facts, std::string_view name, std::string fallback) {
    if (const Value* v = find_value(facts, name)) {
        if (const auto* s = v->as_string()) {
            return *s;
        }
    }
    return fallback;
}

}  // namespace lisa

namespace lisa {

SecretRedactor::~SecretRedactor() {
    for (auto& secret : secrets_) {
        explicit_bzero(secret.data(), secret.size());
    }
}

namespace {

// The ways a peer commonly quotes text it was sent: in a URL (RFC 3986 percent-encoding, e.g. a
// referral), in an LDAP filter (RFC 4515 \XX), in a DN (RFC 4514 backslash before specials).
std::vector<std::string> quoted_forms(std::string_view secret) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string percent;
    std::string filter;
    std::string dn;
    for (const char c : secret) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            percent += c;
        } else {
            percent += '%';
            percent += static_cast<char>(std::toupper(kHex[u >> 4]));
            percent += static_cast<char>(std::toupper(kHex[u & 15]));
        }
        if (c == '*' || c == '(' || c == ')' || c == '\\' || c == '\0') {
            filter += '\\';
            filter += kHex[u >> 4];
            filter += kHex[u & 15];
        } else {
            filter += c;
        }
        if (std::string_view(",+\"\\<>;=").find(c) != std::string_view::npos) {
            dn += '\\';
        }
        dn += c;
    }
    return {percent, filter, dn};
}

}  // namespace

void SecretRedactor::add(std::string_view secret) {
    if (secret.empty()) {
        return;
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) {
        return;
    }
    secrets_.emplace_back(secret);
    for (auto& form : quoted_forms(secret)) {
        if (form != secret && std::find(secrets_.begin(), secrets_.end(), form) == secrets_.end()) {
            secrets_.push_back(std::move(form));
        }
    }
    // Longest first, so a secret that contains another is replaced whole.
    std::stable_sort(secrets_.begin(), secrets_.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

bool SecretRedactor::empty() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return secrets_.empty();
}

std::string SecretRedactor::redact(std::string_view text) const {
    std::string out(text);
    const std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& secret : secrets_) {
        for (std::size_t at = out.find(secret); at != std::string::npos;
             at = out.find(secret, at + std::char_traits<char>::length(kMark))) {
            out.replace(at, secret.size(), kMark);
        }
    }
    return out;
}

namespace {

void redact_facts(Facts& facts, const SecretRedactor& redactor) {
    Facts clean;
    for (auto& [name, fact] : facts) {
        Fact f = std::move(fact);
        if (const std::string* s = f.value.as_string()) {
            f.value = Value(redactor.redact(*s));
        } else if (const StringList* list = f.value.as_list()) {
            StringList items;
            items.reserve(list->size());
            for (const auto& item : *list) {
                items.push_back(redactor.redact(item));
            }
            f.value = Value(std::move(items));
        }
        f.source = redactor.redact(f.source);
        clean.emplace(redactor.redact(name), std::move(f));
    }
    facts = std::move(clean);
}

}  // namespace

void redact_output(ProbeOutput& output, const SecretRedactor& redactor) {
    if (redactor.empty()) {
        return;
    }
    redact_facts(output.facts, redactor);
    output.error = redactor.redact(output.error);
    for (auto& [index, facts] : output.related) {
        redact_facts(facts, redactor);
    }
    for (auto& [index, error] : output.related_errors) {
        error = redactor.redact(error);
    }
}

}  // namespace lisa
