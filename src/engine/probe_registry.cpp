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

}  // namespace lisa

namespace lisa {

SecretRedactor::~SecretRedactor() {
    for (auto& secret : folded_) {
        explicit_bzero(secret.data(), secret.size());
    }
    for (auto& secret : exact_) {
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

/// Case folding that keeps every byte where it was (so a match in the folded text is a match at
/// the same offsets of the original): ASCII A–Z and the Latin-1 capitals U+00C0–U+00DE
/// (except ×) as UTF-8 — Å, Ä, Ö, É, Ü … — to their small letters.
std::string fold(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto u = static_cast<unsigned char>(out[i]);
        if (u >= 'A' && u <= 'Z') {
            out[i] = static_cast<char>(u + 32);
        } else if (u == 0xC3 && i + 1 < out.size()) {
            const auto next = static_cast<unsigned char>(out[i + 1]);
            if (next >= 0x80 && next <= 0x9E && next != 0x97) {
                out[i + 1] = static_cast<char>(next + 32);
            }
            ++i;
        }
    }
    return out;
}

std::string hex_of(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out += kHex[u >> 4];
        out += kHex[u & 15];
    }
    return out;
}

/// Base64 of `bytes` without padding (so the padded form is covered too); `url` for base64url.
std::string base64_of(std::string_view bytes, bool url) {
    const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                               : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) {
            v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (rest == 2) {
            out += alphabet[(v >> 6) & 63];
        }
    }
    return out;
}

/// Every prefix and every suffix of `secret` at least `shortest` characters (UTF-8 code points)
/// long and shorter than the whole (the whole is registered on its own).
std::vector<std::string> ends_of(std::string_view secret, std::size_t shortest) {
    std::vector<std::size_t> starts;  // byte offset of each code point
    for (std::size_t i = 0; i < secret.size(); ++i) {
        if ((static_cast<unsigned char>(secret[i]) & 0xC0) != 0x80) {
            starts.push_back(i);
        }
    }
    std::vector<std::string> out;
    for (std::size_t length = std::max<std::size_t>(shortest, 1); length < starts.size(); ++length) {
        out.emplace_back(secret.substr(0, starts[length]));                  // the first `length`
        out.emplace_back(secret.substr(starts[starts.size() - length]));     // the last `length`
    }
    return out;
}

std::size_t characters(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

void add_unique(std::vector<std::string>& list, std::string form) {
    if (!form.empty() && std::find(list.begin(), list.end(), form) == list.end()) {
        list.push_back(std::move(form));
    }
}

}  // namespace

void SecretRedactor::add(std::string_view secret) {
    if (secret.empty()) {
        return;
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::string folded = fold(secret);
    if (std::find(folded_.begin(), folded_.end(), folded) != folded_.end()) {
        return;
    }
    // Matched case-insensitively: the secret, its quoted forms, its hex, and its prefixes and
    // suffixes of at least shortest_redacted_end characters (a truncated echo; probe.hpp says why
    // not shorter, and not inner runs).
    add_unique(folded_, folded);
    for (auto& form : quoted_forms(secret)) {
        add_unique(folded_, fold(form));
    }
    add_unique(folded_, hex_of(secret));
    for (auto& end : ends_of(secret, shortest_redacted_end(characters(secret)))) {
        add_unique(folded_, fold(end));
    }
    // Matched exactly: base64 and base64url of its bytes.
    add_unique(exact_, base64_of(secret, false));
    add_unique(exact_, base64_of(secret, true));
}

bool SecretRedactor::empty() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return folded_.empty() && exact_.empty();
}

std::string SecretRedactor::redact(std::string_view text) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (folded_.empty() && exact_.empty()) {
        return std::string(text);
    }
    // Mark every byte any form covers (matches may overlap), then replace each covered stretch
    // by one kMark: a text holding the secret in several forms, overlapping, is cut out whole.
    std::vector<bool> covered(text.size(), false);
    const auto mark = [&](const std::string& haystack, const std::string& needle) {
        for (std::size_t at = haystack.find(needle); at != std::string::npos;
             at = haystack.find(needle, at + 1)) {
            std::fill(covered.begin() + static_cast<std::ptrdiff_t>(at),
                      covered.begin() + static_cast<std::ptrdiff_t>(at + needle.size()), true);
        }
    };
    const std::string folded = fold(text);
    for (const auto& form : folded_) {
        mark(folded, form);
    }
    const std::string original(text);
    for (const auto& form : exact_) {
        mark(original, form);
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (!covered[i]) {
            out += text[i++];
            continue;
        }
        out += kMark;
        while (i < text.size() && covered[i]) {
            ++i;
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
