// SPDX-License-Identifier: Apache-2.0
// A Probe for engine tests: canned facts or an Error per subject id, call counting, an optional
// delay and bookkeeping of how many calls ran at once (overall and per target host).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "lisa/engine/probe.hpp"

namespace lisa::testing_support {

class FakeProbe final : public Probe {
public:
    FakeProbe(std::string kind, std::vector<SubjectKind> subjects, std::vector<FactSpec> facts) {
        spec_.kind = std::move(kind);
        spec_.subjects = std::move(subjects);
        spec_.description = "fake probe for tests";
        spec_.facts = std::move(facts);
    }

    // --- configuration (before the scan) ---------------------------------------------------

    /// Canned facts for one subject id; each becomes a probed fact with source "fake".
    void set_facts(const std::string& subject_id, const std::map<std::string, Value>& facts) {
        Facts out;
        for (const auto& [name, value] : facts) {
            out[name] = probed(value, spec_.kind + " " + subject_id);
        }
        facts_[subject_id] = std::move(out);
    }
    /// The call for this subject returns an Error with `message`.
    void set_error(const std::string& subject_id, std::string message) {
        errors_[subject_id] = std::move(message);
    }
    /// The call for this subject throws (the engine must turn that into an error finding).
    void set_throws(const std::string& subject_id) { throws_.insert(subject_id); }
    /// The probe does not apply to this subject.
    void set_not_applicable(const std::string& subject_id) { skip_.insert(subject_id); }
    /// Every call sleeps this long (to observe concurrency).
    void set_delay(std::chrono::milliseconds delay) { delay_ = delay; }

    // --- observation (after the scan) ------------------------------------------------------

    [[nodiscard]] int calls() const noexcept { return calls_.load(); }
    [[nodiscard]] int calls_for(const std::string& subject_id) const {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = calls_by_subject_.find(subject_id);
        return it == calls_by_subject_.end() ? 0 : it->second;
    }
    [[nodiscard]] std::vector<std::string> called_subjects() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<std::string> out;
        for (const auto& entry : calls_by_subject_) {
            out.push_back(entry.first);
        }
        return out;
    }
    [[nodiscard]] int max_concurrent() const noexcept { return max_concurrent_.load(); }
    [[nodiscard]] int max_concurrent_per_host() const {
        std::lock_guard<std::mutex> lock(mutex_);
        int best = 0;
        for (const auto& entry : max_per_host_) {
            best = std::max(best, entry.second);
        }
        return best;
    }

    // --- Probe -----------------------------------------------------------------------------

    [[nodiscard]] const ProbeSpec& spec() const noexcept override { return spec_; }

    [[nodiscard]] bool applies_to(const ProbeRequest& request) const override {
        return std::find(spec_.subjects.begin(), spec_.subjects.end(), request.subject.kind) !=
                   spec_.subjects.end() &&
               skip_.count(request.subject.id) == 0;
    }

    /// The endpoint's host when it has one, else the subject id.
    [[nodiscard]] std::string target(const ProbeRequest& request) const override {
        const auto* endpoint = request.target<EndpointTarget>();
        return endpoint != nullptr && !endpoint->url.parts.host.empty() ? endpoint->url.parts.host : request.subject.id;
    }

    [[nodiscard]] Result<ProbeOutput> collect(const ProbeRequest& request) override {
        const std::string host = target(request);
        ++calls_;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            ++calls_by_subject_[request.subject.id];
            const int now_on_host = ++in_flight_per_host_[host];
            max_per_host_[host] = std::max(max_per_host_[host], now_on_host);
        }
        const int now = ++in_flight_;
        int seen = max_concurrent_.load();
        while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
        }
        if (delay_.count() > 0) {
            std::this_thread::sleep_for(delay_);
        }
        --in_flight_;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --in_flight_per_host_[host];
        }
        if (throws_.count(request.subject.id) != 0) {
            throw std::runtime_error("fake probe exploded");
        }
        if (const auto e = errors_.find(request.subject.id); e != errors_.end()) {
            return Error{e->second};
        }
        ProbeOutput out;
        if (const auto f = facts_.find(request.subject.id); f != facts_.end()) {
            out.facts = f->second;
        }
        return out;
    }

private:
    ProbeSpec spec_;
    std::map<std::string, Facts> facts_;
    std::map<std::string, std::string> errors_;
    std::set<std::string> throws_;
    std::set<std::string> skip_;
    std::chrono::milliseconds delay_{0};

    std::atomic<int> calls_{0};
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_concurrent_{0};
    mutable std::mutex mutex_;
    std::map<std::string, int> calls_by_subject_;
    std::map<std::string, int> in_flight_per_host_;
    std::map<std::string, int> max_per_host_;
};

}  // namespace lisa::testing_support
