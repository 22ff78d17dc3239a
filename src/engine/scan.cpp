// SPDX-License-Identifier: Apache-2.0
#include "lisa/engine/scan.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <optional>
#include <mutex>
#include <set>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lisa {
namespace {

struct Task {
    Probe* probe = nullptr;
    int subject = -1;
    std::string target;  ///< as the probe names it ("host:port", a file)
    std::string host;    ///< the politeness key: the host without its port
};

// "host:443" → "host", "[::1]:443" → "[::1]", a path or bare host unchanged: politeness is per
// machine, whatever port a probe talks to.
std::string politeness_key(const std::string& target) {
    if (!target.empty() && target[0] == '[') {
        const auto close = target.find(']');
        return close == std::string::npos ? target : target.substr(0, close + 1);
    }
    const auto colon = target.find(':');
    if (colon != std::string::npos && target.find(':', colon + 1) == std::string::npos &&
        target.find('/') == std::string::npos) {
        return target.substr(0, colon);
    }
    return target;
}

std::vector<bool> select_subjects(const Inventory& inv, const std::vector<std::string>& systems) {
    std::vector<bool> selected(inv.subjects.size(), systems.empty());
    if (systems.empty()) {
        return selected;
    }
    for (std::size_t i = 0; i < inv.subjects.size(); ++i) {
        for (int j = static_cast<int>(i); j >= 0; j = inv.subjects[static_cast<std::size_t>(j)].parent) {
            const Subject& s = inv.subjects[static_cast<std::size_t>(j)];
            if (s.kind == SubjectKind::System &&
                std::find(systems.begin(), systems.end(), s.id) != systems.end()) {
                selected[i] = true;
                break;
            }
        }
    }
    return selected;
}

// Collects the fact ids a condition reads.
void facts_read(const Condition& c, std::set<int>& out) {
    if (c.kind == Condition::Kind::Compare) {
        out.insert(c.fact_id);
        return;
    }
    for (const auto& child : c.children) {
        facts_read(child, out);
    }
}

// Which task starts next: the lowest-index task not yet started whose host is below `per_host`
// running tasks. Tasks come sorted by host, so each host's tasks are one run [next, end) started
// in order; the hosts that may start one are kept ordered by their next task's index, so a pick
// is O(log hosts), not a scan of every task (3,000 endpoints on one host made that quadratic).
// Not thread-safe: run_tasks calls it under its lock.
class TaskPicker {
public:
    TaskPicker(const std::vector<Task>& tasks, unsigned per_host) : limit_(std::max(1U, per_host)) {
        lane_of_.resize(tasks.size());
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            if (i == 0 || tasks[i].host != tasks[i - 1].host) {
                lanes_.push_back({i, i, 0});
            }
            lanes_.back().end = i + 1;
            lane_of_[i] = lanes_.size() - 1;
        }
        for (std::size_t l = 0; l < lanes_.size(); ++l) {
            ready_.insert({lanes_[l].next, l});
        }
        unstarted_ = tasks.size();
    }

    bool all_started() const { return unstarted_ == 0; }

    /// The next task to start, counted as running; none while every host with tasks left is busy.
    std::optional<std::size_t> pick() {
        if (ready_.empty()) {
            return std::nullopt;
        }
        const std::size_t l = ready_.begin()->second;
        ready_.erase(ready_.begin());
        Lane& lane = lanes_[l];
        const std::size_t index = lane.next++;
        ++lane.active;
        --unstarted_;
        if (lane.active < limit_ && lane.next < lane.end) {
            ready_.insert({lane.next, l});
        }
        return index;
    }

    /// Task `index` ended: its host may start another.
    void finish(std::size_t index) {
        const std::size_t l = lane_of_[index];
        Lane& lane = lanes_[l];
        if (lane.active-- == limit_ && lane.next < lane.end) {
            ready_.insert({lane.next, l});  // it was full, so it was not ready
        }
    }

private:
    struct Lane {
        std::size_t next;     ///< its first task not started
        std::size_t end;      ///< one past its last task
        unsigned active;      ///< its tasks running
    };
    const unsigned limit_;
    std::vector<Lane> lanes_;
    std::vector<std::size_t> lane_of_;                    ///< per task, its host's lane
    std::set<std::pair<std::size_t, std::size_t>> ready_;  ///< (next task, lane) of hosts below the limit
    std::size_t unstarted_ = 0;
};

// Runs the tasks on `concurrency` threads, at most `per_host` at once against one host. `tasks`
// must be sorted by host (plan_tasks does).
void run_tasks(const std::vector<Task>& tasks, const std::vector<Subject>& subjects,
               const std::vector<SubjectTarget>& targets, const ProbeContext& context,
               const ScanOptions& options, std::vector<Result<ProbeOutput>>& results,
               std::vector<double>& seconds, const ProgressFn& progress) {
    std::mutex mutex;
    std::condition_variable cv;
    TaskPicker picker(tasks, options.per_host);
    std::size_t done = 0;

    auto worker = [&] {
        for (;;) {
            std::size_t index = 0;
            {
                std::unique_lock<std::mutex> lock(mutex);
                std::optional<std::size_t> chosen;
                cv.wait(lock, [&] {
                    chosen = picker.pick();
                    return chosen.has_value() || picker.all_started();
                });
                if (!chosen) {
                    return;  // nothing left to start
                }
                index = *chosen;
            }
            const Task& task = tasks[index];
            const auto t0 = std::chrono::steady_clock::now();
            const ProbeRequest request{subjects[static_cast<std::size_t>(task.subject)], task.subject, subjects,
                                       targets, context};
            Result<ProbeOutput> result = Error{"not run"};
            try {
                result = task.probe->collect(request);
            } catch (const std::exception& e) {
                result = Error{std::string("probe failed unexpectedly: ") + e.what()};
            }
            const auto t1 = std::chrono::steady_clock::now();
            {
                std::lock_guard<std::mutex> lock(mutex);
                results[index] = std::move(result);
                seconds[index] = std::chrono::duration<double>(t1 - t0).count();
                picker.finish(index);
                ++done;
                if (progress) {
                    progress(done, tasks.size(), task.target);
                }
            }
            cv.notify_all();
        }
    };
    const unsigned threads =
        std::max(1U, std::min<unsigned>(options.concurrency, static_cast<unsigned>(tasks.size())));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) {
        pool.emplace_back(worker);
    }
    for (auto& t : pool) {
        t.join();
    }
}

}  // namespace

Facts visible_declared(const std::vector<Subject>& subjects, int index) {
    Facts out;
    // Parents always precede their children, so the walk ends at the organization (-1 above it).
    for (int i = index; i >= 0; i = subjects[static_cast<std::size_t>(i)].parent) {
        for (const auto& [name, fact] : subjects[static_cast<std::size_t>(i)].facts) {
            out.emplace(name, fact);  // nearer subjects win
        }
    }
    return out;
}

namespace {

// One scan, step by step (run_scan): plan the probe calls, run them, merge their facts, evaluate
// every rule on every selected subject, then apply the waivers.
class Scan {
public:
    Scan(const Inventory& inventory, const RuleSet& rules, FactCatalog& catalog, const ProbeRegistry& probes,
         const ScanOptions& options)
        : inventory_(inventory), subjects_(inventory.subjects), n_(subjects_.size()), rules_(rules),
          catalog_(catalog), probes_(probes), options_(options), targets_(inventory.targets), errors_(n_),
          applied_(n_) {
        targets_.resize(n_);  // an inventory built by hand may have none
        result_.selected = select_subjects(inventory, options.systems);
        result_.probed.resize(n_);
        context_.as_of = options.as_of;
        context_.timeout = options.timeout;
        context_.base_dir = options.base_dir;
        context_.tls_full_depth = options.tls_full_depth;
    }

    ScanResult run(const ProgressFn& progress) {
        plan_tasks();
        std::vector<Result<ProbeOutput>> outputs(tasks_.size(), Error{"not run"});
        std::vector<double> seconds(tasks_.size(), 0.0);
        if (!tasks_.empty()) {
            run_tasks(tasks_, subjects_, targets_, context_, options_, outputs, seconds, progress);
        }
        // The boundary: every secret a probe read is known now; nothing a peer said goes further
        // unredacted (SecretRedactor).
        for (auto& output : outputs) {
            if (output) {
                redact_output(output.value(), *context_.secrets);
            } else {
                output = Error{context_.secrets->redact(output.error().message)};
            }
        }
        merge_outputs(outputs, seconds);
        evaluate_rules();
        apply_waivers();
        return std::move(result_);
    }

private:
    const Inventory& inventory_;
    const std::vector<Subject>& subjects_;
    const std::size_t n_;
    const RuleSet& rules_;
    FactCatalog& catalog_;
    const ProbeRegistry& probes_;
    const ScanOptions& options_;
    ScanResult result_;
    ProbeContext context_;
    std::vector<SubjectTarget> targets_;  // per subject, as the inventory loader typed them
    std::vector<Task> tasks_;
    // applied_[subject] = probe kinds that ran on it; errors_[subject][probe] = why facts are missing.
    std::vector<std::map<std::string, std::string>> errors_;
    std::vector<std::set<std::string>> applied_;

    // Which probes do the rules need? Each needed probe runs once per subject it applies to.
    std::set<std::string> needed_probes() const {
        std::set<int> read;
        for (const auto& rule : rules_.rules) {
            if (rule.where) {
                facts_read(*rule.where, read);
            }
            facts_read(rule.expect, read);
        }
        std::set<std::string> needed;
        for (const int id : read) {
            if (auto info = catalog_.lookup(catalog_.name_of(id)); info && info->provider != "inventory") {
                needed.insert(info->provider);
            }
        }
        return needed;
    }

    // The subjects a probe is called for: the selected ones, and, for a probe that serves
    // several subjects in one call (ProbeSpec::grouping), the leader of each selected member (an
    // access group's directory), whether or not the leader itself is selected.
    std::vector<bool> relevant_subjects(const ProbeSpec& spec) const {
        std::vector<bool> relevant = result_.selected;
        if (!spec.grouping) {
            return relevant;
        }
        for (std::size_t i = 0; i < n_; ++i) {
            if (result_.selected[i] && subjects_[i].kind == spec.grouping->member) {
                const int leader = owner_of(targets_[i], spec.grouping->leader);
                if (leader >= 0 && static_cast<std::size_t>(leader) < n_ &&
                    subjects_[static_cast<std::size_t>(leader)].kind == spec.grouping->leader) {
                    relevant[static_cast<std::size_t>(leader)] = true;
                }
            }
        }
        return relevant;
    }

    void plan_tasks() {
        const std::set<std::string> needed = needed_probes();
        for (const auto& probe : probes_.probes()) {
            if (needed.count(probe->spec().kind) == 0) {
                continue;
            }
            const std::vector<bool> relevant = relevant_subjects(probe->spec());
            for (std::size_t i = 0; i < n_; ++i) {
                if (!relevant[i]) {
                    continue;
                }
                const ProbeRequest request{subjects_[i], static_cast<int>(i), subjects_, targets_, context_};
                if (probe->applies_to(request)) {
                    const std::string target = probe->target(request);
                    tasks_.push_back({probe.get(), static_cast<int>(i), target, politeness_key(target)});
                }
            }
        }
        // A fixed order (by host) keeps runs comparable; workers skip ahead past busy hosts.
        std::stable_sort(tasks_.begin(), tasks_.end(),
                         [](const Task& a, const Task& b) { return a.host < b.host; });
    }

    // A probe's facts about other subjects (a directory's about its access groups).
    void merge_related(ProbeOutput& out, const std::string& kind) {
        for (auto& [index, facts] : out.related) {
            if (index < 0 || static_cast<std::size_t>(index) >= n_) {
                continue;
            }
            applied_[static_cast<std::size_t>(index)].insert(kind);
            for (auto& [name, fact] : facts) {
                result_.probed[static_cast<std::size_t>(index)][name] = std::move(fact);
            }
        }
        for (auto& [index, error] : out.related_errors) {
            if (index >= 0 && static_cast<std::size_t>(index) < n_) {
                errors_[static_cast<std::size_t>(index)][kind] = kind + ": " + error;
            }
        }
    }

    void merge_outputs(std::vector<Result<ProbeOutput>>& outputs, const std::vector<double>& seconds) {
        for (std::size_t t = 0; t < tasks_.size(); ++t) {
            const Task& task = tasks_[t];
            const std::string& kind = task.probe->spec().kind;
            const auto s = static_cast<std::size_t>(task.subject);
            applied_[s].insert(kind);
            ProbeRun run{kind, task.subject, task.target, {}, seconds[t]};
            if (!outputs[t]) {
                run.error = outputs[t].error().message;
                errors_[s][kind] = kind + ": " + run.error;
            } else {
                ProbeOutput& out = outputs[t].value();
                for (auto& [name, fact] : out.facts) {
                    result_.probed[s][name] = std::move(fact);
                }
                if (!out.error.empty()) {
                    run.error = out.error;
                    errors_[s][kind] = kind + ": " + out.error;
                }
                merge_related(out, kind);
            }
            result_.probe_runs.push_back(std::move(run));
        }
        std::sort(result_.probe_runs.begin(), result_.probe_runs.end(), [&](const ProbeRun& a, const ProbeRun& b) {
            return std::tie(a.probe, subjects_[static_cast<std::size_t>(a.subject)].id) <
                   std::tie(b.probe, subjects_[static_cast<std::size_t>(b.subject)].id);
        });
    }

    // The fact `name` as subject `index` sees it: probed/document facts beat declared ones, nearer
    // subjects beat ancestors; null when none states it.
    const Fact* find_fact(int index, const std::string& name) const {
        const Fact* found = nullptr;
        for (int i = index; i >= 0 && found == nullptr; i = subjects_[static_cast<std::size_t>(i)].parent) {
            const auto si = static_cast<std::size_t>(i);
            const auto p = result_.probed[si].find(name);
            const auto d = subjects_[si].facts.find(name);
            if (p != result_.probed[si].end()) {
                found = &p->second;
            }
            if (d != subjects_[si].facts.end() && (found == nullptr || d->second.provenance > found->provenance)) {
                found = &d->second;
            }
        }
        return found;
    }

    // A fact a probe of `kind` provides is missing: did that probe fail, not apply, or simply not
    // state it?
    void explain_missing(FactView& view, int id, int index, const std::string& kind) const {
        bool ran = false;
        for (int i = index; i >= 0; i = subjects_[static_cast<std::size_t>(i)].parent) {
            const auto si = static_cast<std::size_t>(i);
            if (auto e = errors_[si].find(kind); e != errors_[si].end()) {
                view.set_missing(id, e->second, false);
                return;
            }
            ran = ran || applied_[si].count(kind) > 0;
        }
        if (ran) {
            return;
        }
        if (probes_.find(kind) != nullptr) {
            view.set_missing(id,
                             "probe '" + kind + "' does not apply to this " +
                                 std::string(to_string(subjects_[static_cast<std::size_t>(index)].kind)),
                             true);
        } else {
            view.set_missing(id, "probe '" + kind + "' is not available", false);
        }
    }

    // Per subject, every interned fact it can see.
    FactView build_view(int index, const std::vector<std::string>& provider) const {
        const std::size_t ids = provider.size();
        FactView view(ids);
        for (std::size_t id = 0; id < ids; ++id) {
            if (const Fact* found = find_fact(index, catalog_.name_of(static_cast<int>(id)))) {
                view.set(static_cast<int>(id), found);
                continue;
            }
            const std::string& kind = provider[id];
            if (kind.empty() || kind == "inventory") {
                continue;  // known absence: not declared
            }
            explain_missing(view, static_cast<int>(id), index, kind);
        }
        return view;
    }

    // Evaluate every rule on every selected subject of its kind. Subject by subject: one subject's
    // view (a pointer and a missing-reason per interned fact, hundreds of them) lives only while
    // that subject's rules are judged, so memory stays flat in the number of subjects (every view
    // held at once was ~20 MB at 2,000 subjects). Findings are then put in rule order, subjects by
    // id within a rule (a stable sort of the subject-major order), exactly the order a rule-major
    // loop gives.
    void evaluate_rules() {
        const std::size_t ids = catalog_.interned_count();
        std::vector<std::string> provider(ids);
        for (std::size_t id = 0; id < ids; ++id) {
            if (auto info = catalog_.lookup(catalog_.name_of(static_cast<int>(id)))) {
                provider[id] = info->provider;
            }
        }
        std::vector<std::size_t> order(n_);
        for (std::size_t i = 0; i < n_; ++i) {
            order[i] = i;
        }
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return subjects_[a].id < subjects_[b].id; });
        std::map<SubjectKind, std::vector<std::size_t>> rules_by_kind;
        for (std::size_t r = 0; r < rules_.rules.size(); ++r) {
            rules_by_kind[rules_.rules[r].for_each].push_back(r);
        }
        std::size_t expected = 0;
        for (const std::size_t s : order) {
            if (result_.selected[s]) {
                expected += rules_by_kind[subjects_[s].kind].size();
            }
        }
        result_.findings.reserve(expected);
        for (const std::size_t s : order) {
            const auto kind_rules = rules_by_kind.find(subjects_[s].kind);
            if (!result_.selected[s] || kind_rules == rules_by_kind.end() || kind_rules->second.empty()) {
                continue;
            }
            const FactView view = build_view(static_cast<int>(s), provider);
            for (const std::size_t r : kind_rules->second) {
                Verdict verdict = evaluate(rules_.rules[r], view, catalog_, options_.as_of);
                Finding f;
                f.rule = static_cast<int>(r);
                f.subject = static_cast<int>(s);
                f.status = f.unwaived = verdict.status;
                f.message = std::move(verdict.message);
                f.detail = std::move(verdict.detail);
                f.evidence = std::move(verdict.evidence);
                result_.findings.push_back(std::move(f));
            }
        }
        std::stable_sort(result_.findings.begin(), result_.findings.end(),
                         [](const Finding& a, const Finding& b) { return a.rule < b.rule; });
    }

    // Waivers: an unexpired waiver turns a matching fail into waived. Errors are never waived:
    // accepting a risk needs the risk to be known.
    void apply_waivers() {
        const auto& waivers = inventory_.waivers;
        std::vector<bool> used(waivers.size(), false);
        for (std::size_t w = 0; w < waivers.size(); ++w) {
            if (waivers[w].expires < options_.as_of) {
                result_.expired_waivers.push_back(static_cast<int>(w));
            }
        }
        for (auto& f : result_.findings) {
            if (f.status != Status::Fail) {
                continue;
            }
            const std::string& rule_id = rules_.rules[static_cast<std::size_t>(f.rule)].id;
            const std::string& subject_id = subjects_[static_cast<std::size_t>(f.subject)].id;
            for (std::size_t w = 0; w < waivers.size(); ++w) {
                if (!glob_match(waivers[w].rule, rule_id) || !glob_match(waivers[w].subject, subject_id)) {
                    continue;
                }
                used[w] = true;
                if (waivers[w].expires < options_.as_of) {
                    continue;  // expired: ignored, and reported
                }
                f.status = Status::Waived;
                f.waiver = static_cast<int>(w);
                break;
            }
        }
        for (std::size_t w = 0; w < used.size(); ++w) {
            if (!used[w]) {
                result_.unused_waivers.push_back(static_cast<int>(w));
            }
        }
    }
};

}  // namespace

ScanResult run_scan(const Inventory& inventory, const RuleSet& rules, FactCatalog& catalog,
                    const ProbeRegistry& probes, const ScanOptions& options,
                    const ProgressFn& progress) {
    ScanResult result = Scan(inventory, rules, catalog, probes, options).run(progress);
#if defined(__GLIBC__)
    // The probes ran on many threads, so their freed buffers (handshakes, pages, raw outputs) sit
    // in per-thread malloc arenas the report, built on this thread, cannot reuse: hand those pages
    // back before it is built (issue 15: ~40 MB of a 1,000-system scan's peak RSS). Only when
    // that much is free: a trim madvises every free page run of every arena (1,263 calls at
    // 1,000 documents, 12 MB free), costing ~5 % of a documents-only scan's CPU for 5 MB.
    if (mallinfo2().fordblks > kTrimWhenFreeBytes) {
        malloc_trim(0);
    }
#endif
    return result;
}

}  // namespace lisa
