// SPDX-License-Identifier: Apache-2.0
// lisa_tls_bench: collects every tls.* fact for the given endpoints, first one after another,
// then all at once, and prints the timings (scripts/bench.d/tls starts the servers).
//
//   lisa_tls_bench [--ca-file FILE] [--timeout-ms N] [--rounds N] [--facts] HOST:PORT...
//   lisa_tls_bench --floor N HOST:PORT
//       the handshake floor's unit costs on HOST:PORT, each the median of N: a complete OpenSSL
//       handshake (context reused, TCP connect included), a raw ClientHello the server answers
//       with its first flight (an elimination step), and one it refuses with an alert.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "lisa/probes/tls_probe.hpp"
#include "tls_connection.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

lisa::Date today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return lisa::Date::from_ymd(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                                static_cast<unsigned>(tm.tm_mday));
}

bool reachable(const lisa::Facts& facts) {
    const lisa::Value* value = lisa::find_value(facts, "tls.reachable");
    return value != nullptr && value->as_bool() != nullptr && *value->as_bool();
}

double median_ms(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples.empty() ? 0.0 : samples[samples.size() / 2] * 1000.0;
}

/// --floor: unit costs of the three kinds of handshake the floor counts.
int floor_costs(const lisa::TlsTarget& target, int count, long timeout_ms) {
    using namespace lisa::tls_detail;
    block_sigpipe_in_this_thread();
    Endpoint endpoint;
    endpoint.target = target;
    endpoint.timeout = std::chrono::milliseconds{timeout_ms};
    auto addresses = resolve(target.host, target.port, Clock::now() + endpoint.timeout);
    if (!addresses || addresses.value().empty()) {
        std::cerr << "lisa_tls_bench: cannot resolve " << target.host << '\n';
        return 2;
    }
    endpoint.address = addresses.value().front();
    std::vector<double> full;
    std::vector<double> answered;
    std::vector<double> refused;
    HelloSpec answer;
    answer.version = kTls12;
    answer.suites = enumeration_suites_tls12();
    HelloSpec refuse = answer;
    refuse.suites = {0x00FE};  // unassigned: every server refuses it
    for (int i = 0; i < count; ++i) {
        auto start = Clock::now();
        const HandshakeOutcome done = run_handshake(endpoint, HandshakeSpec{});
        full.push_back(seconds_since(start));
        start = Clock::now();
        const RawHelloOutcome hello = raw_hello(endpoint, answer);
        answered.push_back(seconds_since(start));
        start = Clock::now();
        const RawHelloOutcome alert = raw_hello(endpoint, refuse);
        refused.push_back(seconds_since(start));
        if (done.stage != Stage::Done || !hello.hello || alert.hello) {
            std::cerr << "lisa_tls_bench: the floor needs a server that completes a default "
                         "handshake and speaks TLS 1.2\n";
            return 1;
        }
    }
    std::printf("floor_full_ms           %.3f\n", median_ms(full));
    std::printf("floor_answered_ms       %.3f\n", median_ms(answered));
    std::printf("floor_refused_ms        %.3f\n", median_ms(refused));
    return 0;
}

int usage() {
    std::cerr << "usage: lisa_tls_bench [--ca-file FILE] [--timeout-ms N] [--rounds N] [--facts] "
                 "HOST:PORT...\n";
    return 2;
}

/// The command line.
struct Options {
    std::vector<lisa::TlsTarget> targets;
    long timeout_ms = 5000;
    int rounds = 3;
    bool print_facts = false;
    int floor_count = 0;
};

/// Reads the command line; false on a usage error (no target, an unknown argument).
bool parse_options(int argc, char** argv, Options& options) {
    std::string ca_file;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--ca-file" && i + 1 < argc) {
            ca_file = argv[++i];
        } else if (arg == "--timeout-ms" && i + 1 < argc) {
            options.timeout_ms = std::strtol(argv[++i], nullptr, 10);
        } else if (arg == "--rounds" && i + 1 < argc) {
            options.rounds = std::max(1, static_cast<int>(std::strtol(argv[++i], nullptr, 10)));
        } else if (arg == "--floor" && i + 1 < argc) {
            options.floor_count = std::max(1, static_cast<int>(std::strtol(argv[++i], nullptr, 10)));
        } else if (arg == "--facts") {
            options.print_facts = true;
        } else if (const auto colon = arg.rfind(':'); colon != std::string::npos && arg[0] != '-') {
            lisa::TlsTarget target;
            target.host = arg.substr(0, colon);
            target.port = static_cast<int>(std::strtol(arg.c_str() + colon + 1, nullptr, 10));
            options.targets.push_back(target);
        } else {
            return false;
        }
    }
    if (options.targets.empty()) {
        return false;
    }
    for (auto& target : options.targets) {
        target.ca_file = ca_file;
    }
    return true;
}

/// The best (smallest) times over the rounds, and whether every endpoint answered every time.
struct Timings {
    bool all_reachable = true;
    double best_sequential = 1e9;
    double best_concurrent = 1e9;
    double worst_single = 0;
};

/// One round: every target one after another, then all at once on a thread each.
void run_round(const std::vector<lisa::TlsTarget>& targets, const lisa::ProbeContext& context, Timings& t) {
    const auto start = Clock::now();
    for (const auto& target : targets) {
        const auto one = Clock::now();
        t.all_reachable = reachable(lisa::collect_tls_facts(target, context)) && t.all_reachable;
        t.worst_single = std::max(t.worst_single, seconds_since(one));
    }
    t.best_sequential = std::min(t.best_sequential, seconds_since(start));

    std::vector<lisa::Facts> results(targets.size());
    const auto concurrent = Clock::now();
    {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < targets.size(); ++i) {
            threads.emplace_back([&, i] { results[i] = lisa::collect_tls_facts(targets[i], context); });
        }
        for (auto& thread : threads) {
            thread.join();
        }
    }
    t.best_concurrent = std::min(t.best_concurrent, seconds_since(concurrent));
    for (const auto& facts : results) {
        t.all_reachable = reachable(facts) && t.all_reachable;
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse_options(argc, argv, options)) {
        return usage();
    }
    const auto& targets = options.targets;
    if (options.floor_count > 0) {
        return floor_costs(targets.front(), options.floor_count, options.timeout_ms);
    }
    lisa::ProbeContext context;
    context.as_of = today();
    context.timeout = std::chrono::milliseconds{options.timeout_ms};

    // Warm-up: first use loads OpenSSL's providers and tables; a scan pays that once.
    const auto warm = Clock::now();
    const lisa::Facts first = lisa::collect_tls_facts(targets.front(), context);
    const double warmup_s = seconds_since(warm);
    if (options.print_facts) {
        for (const auto& [name, fact] : first) {
            std::cout << "  " << name << " = " << fact.value.to_display() << '\n';
        }
    }
    Timings t;
    for (int round = 0; round < options.rounds; ++round) {
        run_round(targets, context, t);
    }
    std::printf("endpoints               %zu\n", targets.size());
    std::printf("facts_per_endpoint      %zu\n", first.size());
    std::printf("warmup_first_s          %.4f\n", warmup_s);
    std::printf("sequential_total_s      %.4f\n", t.best_sequential);
    std::printf("per_endpoint_s          %.4f\n", t.best_sequential / static_cast<double>(targets.size()));
    std::printf("per_endpoint_worst_s    %.4f\n", t.worst_single);
    std::printf("concurrent_wall_s       %.4f\n", t.best_concurrent);
    std::printf("all_reachable           %s\n", t.all_reachable ? "true" : "false");
    return t.all_reachable ? 0 : 1;
}
