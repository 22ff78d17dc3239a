// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lisa/core/fact.hpp"
#include "lisa/core/probe_spec.hpp"
#include "lisa/core/result.hpp"
#include "lisa/core/subject.hpp"
#include "lisa/core/value.hpp"
#include "lisa/inventory/targets.hpp"

namespace lisa {

/**
 * The shortest prefix or suffix, in characters (UTF-8 code points), of a secret `length`
 * characters long that SecretRedactor redacts: max(8, ⌈2·length/3⌉), and never less than the
 * whole secret when that is shorter (then only the whole secret is redacted).
 *
 * Why ends, and why this long (issue 14): a peer that echoes a password truncated cuts it at a
 * field length, so the echo is a prefix (a log clipped from the left leaves a suffix); inner runs
 * are not echoes. Redacting every run of 6 characters made ordinary words inside a password
 * ("Kommun#Treserva1": every "kommun" in a DN) read "[redacted]" in every report — unreadable
 * DNs, and a report that tells its reader which words the password contains. An end of at least
 * 8 characters is longer than most words a password is built from, and one of two thirds of the
 * secret reaches past its first word into the rest, so ordinary text (names, DN parts) is left
 * alone while any echo that gives away most of the secret is still cut out; what is left
 * unredacted (a fragment under that length, or an inner run) leaves more than a third of the
 * secret, or at least its first or last characters, unknown. The trade-off is deliberate: a text
 * that happens to contain a long end of a password (a DN "OU=Kommunstyrelsen" and the password
 * "Kommunstyrelsen-2026") still loses that part.
 */
[[nodiscard]] constexpr std::size_t shortest_redacted_end(std::size_t length) noexcept {
    const std::size_t two_thirds = (2 * length + 2) / 3;
    const std::size_t shortest = two_thirds > 8 ? two_thirds : 8;
    return shortest < length ? shortest : length;
}

/**
 * The secrets of a run: each directory's bind password, added by the probe that reads it (from
 * `password_env` or `password_file`) before it is sent anywhere. The engine applies redact() to
 * everything a probe returns — fact values, list items, sources, errors, related subjects' facts
 * and errors (redact_output) — once every probe call has finished, before any of it becomes a
 * fact, a finding, a log line or a report. So a peer that echoes a secret (in a diagnostic
 * message, a matchedDN, a referral, an entry) cannot get it into any output, whichever probe
 * call it reached and whichever directory's secret it is. One mechanism at the boundary, not
 * per message. Thread-safe; secrets are wiped from memory on destruction.
 */
class SecretRedactor {
public:
    /// What a secret is replaced with.
    static constexpr const char* kMark = "[redacted]";
    SecretRedactor() = default;
    SecretRedactor(const SecretRedactor&) = delete;
    SecretRedactor& operator=(const SecretRedactor&) = delete;
    ~SecretRedactor();
    /// Registers a secret (ignored when empty or already known), with the forms a peer may quote
    /// or transform it in: percent-encoded (RFC 3986, a referral URL), LDAP-filter escaped
    /// (RFC 4515), DN escaped (RFC 4514), hex of its bytes, every prefix and suffix of at least
    /// shortest_redacted_end(length) characters (a truncated echo; see there) — all matched
    /// case-insensitively (ASCII and Latin-1 letters: an upper-cased echo) — and
    /// base64/base64url of its bytes (exact).
    void add(std::string_view secret);
    /// `text` with every stretch covered by any form of any secret replaced by one kMark.
    [[nodiscard]] std::string redact(std::string_view text) const;
    [[nodiscard]] bool empty() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> folded_;  // case-folded forms, matched on the folded text
    std::vector<std::string> exact_;   // base64 forms, matched as they are
};

/**
 * What one scan fetched once for many probe calls (issue 15: a county's endpoints share a few
 * CAs' CRLs, fetched once per URL per scan, not once per endpoint). once<T>(key, compute) returns
 * the value for `key`: the first caller computes it, callers of the same key meanwhile wait for
 * that result (compute must be bounded: the waits are as long as it), later callers get it at
 * once. A key names its caller and its type ("tls.crl <url>"), and is always used with one T.
 * A value is kept, shared and immutable, for the memo's life: one scan (ProbeContext). An
 * exception from compute reaches every caller of that key. Thread-safe.
 */
class ScanMemo {
public:
    ScanMemo() = default;
    ScanMemo(const ScanMemo&) = delete;
    ScanMemo& operator=(const ScanMemo&) = delete;
    ~ScanMemo() = default;

    template <typename T, typename Compute>
    [[nodiscard]] std::shared_ptr<const T> once(const std::string& key, Compute&& compute) {
        std::promise<std::shared_ptr<const void>> promise;
        std::shared_future<std::shared_ptr<const void>> result;
        bool first = false;
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            auto found = entries_.find(key);
            if (found == entries_.end()) {
                found = entries_.emplace(key, promise.get_future().share()).first;
                first = true;
            }
            result = found->second;
        }
        if (first) {
            try {
                promise.set_value(std::make_shared<const T>(std::forward<Compute>(compute)()));
            } catch (...) {
                promise.set_exception(std::current_exception());
            }
        }
        return std::static_pointer_cast<const T>(result.get());
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_future<std::shared_ptr<const void>>> entries_;
};

/// Run-wide settings every probe sees.
struct ProbeContext {
    Date as_of;                                       ///< "today" for ages and expiry
    std::chrono::milliseconds timeout{5000};          ///< per network operation
    std::string base_dir;                             ///< inventory directory, for relative paths
    bool tls_full_depth = false;  ///< --tls-depth full: the tls probe's depth facts (issue 15)
    /// Where a probe registers each secret it reads (never null).
    std::shared_ptr<SecretRedactor> secrets = std::make_shared<SecretRedactor>();
    /// What this scan fetched once for every probe call (never null; copies share it).
    std::shared_ptr<ScanMemo> memo = std::make_shared<ScanMemo>();
};

/**
 * One probe call: a subject, the typed targets the inventory loader made (one per subject, same
 * index: Inventory::targets), and the whole subject list so a probe can find related subjects (a
 * directory's access groups, through their targets). A probe reads its inputs from the targets,
 * never from declared facts.
 */
struct ProbeRequest {
    const Subject& subject;
    int subject_index;
    const std::vector<Subject>& subjects;       ///< every subject of the inventory
    const std::vector<SubjectTarget>& targets;  ///< per subject; may be shorter (then monostate)
    const ProbeContext& context;

    /// Subject `index`'s target when it is a T, else null.
    template <typename T>
    [[nodiscard]] const T* target_of(int index) const noexcept {
        if (index < 0 || static_cast<std::size_t>(index) >= targets.size()) {
            return nullptr;
        }
        return std::get_if<T>(&targets[static_cast<std::size_t>(index)]);
    }
    /// This subject's target when it is a T, else null.
    template <typename T>
    [[nodiscard]] const T* target() const noexcept {
        return target_of<T>(subject_index);
    }
    /// The nearest of this subject and its ancestors whose target is a T (an endpoint's system
    /// would be found here), else null.
    template <typename T>
    [[nodiscard]] const T* nearest() const noexcept {
        for (int i = subject_index; i >= 0 && static_cast<std::size_t>(i) < subjects.size();
             i = subjects[static_cast<std::size_t>(i)].parent) {
            if (const T* found = target_of<T>(i)) {
                return found;
            }
        }
        return nullptr;
    }
};

/// What a probe observed. `error` (one line, no secrets) explains facts it could not collect.
struct ProbeOutput {
    Facts facts;                      ///< facts about the requested subject
    std::string error;                ///< non-empty when some or all facts could not be collected
    std::map<int, Facts> related;     ///< facts about other subjects, by subject index
    std::map<int, std::string> related_errors;  ///< errors for those subjects
};

/// Applies `redactor` to every string of `output` (fact names, values, list items, sources,
/// errors, related subjects' facts and errors).
void redact_output(ProbeOutput& output, const SecretRedactor& redactor);

/**
 * Collects facts about one subject. Probes do I/O; nothing downstream of them does.
 * `collect` is called concurrently from several threads for different subjects and must be
 * thread-safe. Expected failures (refused, timeout, bad credentials) come back in the output's
 * `error` or as an Error, never thrown.
 */
class Probe {
public:
    virtual ~Probe() = default;

    [[nodiscard]] virtual const ProbeSpec& spec() const noexcept = 0;

    /// Whether this probe has anything to collect for the subject (e.g. tls only on TLS URLs).
    [[nodiscard]] virtual bool applies_to(const ProbeRequest& request) const = 0;

    /// The network host (or file) the call talks to, for politeness limits and progress.
    [[nodiscard]] virtual std::string target(const ProbeRequest& request) const = 0;

    [[nodiscard]] virtual Result<ProbeOutput> collect(const ProbeRequest& request) = 0;
};

/// Owns the probes by kind. Registration is explicit (`register_builtin_probes`).
class ProbeRegistry {
public:
    /// Throws std::logic_error on a duplicate kind (our bug, not user input).
    void add(std::unique_ptr<Probe> probe);
    [[nodiscard]] Probe* find(std::string_view kind) const;
    [[nodiscard]] const std::vector<std::unique_ptr<Probe>>& probes() const noexcept {
        return probes_;
    }

private:
    std::vector<std::unique_ptr<Probe>> probes_;
};


}  // namespace lisa
