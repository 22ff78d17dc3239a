// SPDX-License-Identifier: Apache-2.0
// The tls probe: plans the handshakes for one endpoint, runs them concurrently, and turns what
// they showed into tls.* facts. Judging is the rules' job.
#include "lisa/probes/tls_probe.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <string_view>

#include "chain_cache.hpp"
#include "lisa/inventory/url.hpp"
#include "tls_connection.hpp"
#include "tls_detail.hpp"
#include "tls_scan.hpp"
#include "tls_workers.hpp"

namespace lisa {
namespace tls_detail {
namespace {

constexpr std::array<int, 4> kVersions = {TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION,
                                          TLS1_3_VERSION};
constexpr std::array<const char*, 4> kVersionFacts = {"tls.protocol.tls1_0", "tls.protocol.tls1_1",
                                                      "tls.protocol.tls1_2", "tls.protocol.tls1_3"};

/// One handshake per key type a server may hold a certificate for: offering only that type's
/// signature algorithms makes a server with several certificates (RSA and ECDSA, as nginx,
/// Apache and IIS allow) send that one (RFC 8446 §4.2.3, RFC 5246 §7.4.2). SHA-1 and
/// small keys are offered too (security level 0): lisa observes, the rules judge.
struct KeyTypeProbe {
    const char* family;
    const char* sigalgs;
};
constexpr std::array<KeyTypeProbe, 2> kKeyTypeProbes = {{
    {"ECDSA/EdDSA",
     "ECDSA+SHA256:ECDSA+SHA384:ECDSA+SHA512:ed25519:ed448:ECDSA+SHA224:ECDSA+SHA1"},
    {"RSA",
     "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:"
     "rsa_pss_pss_sha384:rsa_pss_pss_sha512:RSA+SHA256:RSA+SHA384:RSA+SHA512:RSA+SHA224:"
     "RSA+SHA1"},
}};

/// Result of asking the server about a set of weak classes.
struct WeakProbe {
    unsigned accepted = 0;
    bool complete = true;
    std::string problem;
};

/**
 * Offers every still-undetermined class at once; when the server picks a suite, its classes are
 * accepted and the rest are offered again. Most servers refuse the first offer, so this usually
 * costs one connection instead of one per class.
 */
template <typename Attempt>
WeakProbe eliminate(unsigned undetermined, Attempt attempt) {
    WeakProbe probe;
    while (undetermined != 0) {
        std::string error;
        bool connection_failed = false;
        const std::optional<ServerHello> hello = attempt(undetermined, error, connection_failed);
        if (connection_failed) {
            probe.complete = false;
            probe.problem = error;
            break;
        }
        if (!hello || hello->version > kTls12) {
            break;  // refused every remaining class
        }
        const unsigned picked = weak_classes_of(hello->suite) & undetermined;
        if (picked == 0) {
            break;  // picked something we did not offer: count as refused
        }
        probe.accepted |= picked;
        undetermined &= ~picked;
    }
    return probe;
}

/// Every weak class in raw ClientHellos (TLS 1.2 client_version, so a TLS 1.0/1.1-only server
/// answers at its own version): one refused hello for most servers, where an OpenSSL handshake
/// for the classes this build can offer plus a raw one for the rest cost two (issue 15). The
/// accepted classes are read from the suite the server picks either way (weak_classes_of), so a
/// raw hello offering the IANA suites of every class shows what the two did.
WeakProbe probe_weak_raw(const Endpoint& endpoint, unsigned classes) {
    return eliminate(classes, [&](unsigned undetermined, std::string& error, bool& failed) {
        std::vector<std::uint16_t> suites;
        for (const WeakClass weak : kWeakClasses) {
            if ((undetermined & bit(weak)) != 0) {
                for (const std::uint16_t suite : iana_suites(weak)) {
                    if (std::find(suites.begin(), suites.end(), suite) == suites.end()) {
                        suites.push_back(suite);
                    }
                }
            }
        }
        const RawHelloOutcome out = raw_hello(endpoint, suites);
        failed = out.stage != Stage::Done;
        error = out.error;
        return out.hello;
    });
}

bool connection_failed(const HandshakeOutcome& out) {
    return out.stage == Stage::Connect || out.stage == Stage::StartTls || out.timeout;
}

bool accepted_version(const HandshakeOutcome& out, int version) {
    return out.hello && out.hello->version == static_cast<std::uint16_t>(version);
}

// ---------------------------------------------------------------- full depth (issue 15)

/// The versions enumerated by raw ClientHello, oldest first, with their fact suffixes.
constexpr std::array<std::uint16_t, 4> kRawVersions = {kTls10, kTls11, kTls12, kTls13};
constexpr std::size_t kTls12Index = 2;
static_assert(kRawVersions[kTls12Index] == kTls12);
constexpr std::array<const char*, 4> kSuiteFacts = {
    "tls.cipher.suites.tls1_0", "tls.cipher.suites.tls1_1", "tls.cipher.suites.tls1_2",
    "tls.cipher.suites.tls1_3"};

/// Every suite one version accepts, found by elimination: offer all, remove the one the server
/// chose, repeat until it refuses. Costs (accepted suites + 1) connections; the first answer also
/// says whether the version is accepted at all, whether the server compresses and whether it
/// supports secure renegotiation (both ride on that hello).
struct Enumeration {
    bool complete = true;
    std::string problem;
    bool accepted = false;
    std::vector<std::uint16_t> suites;  ///< in the order the server chose them
    std::optional<ServerHello> first;   ///< the first ServerHello (TLS ≤ 1.2: compression, reneg)
};

/// An elimination is bounded as a whole too: each hello within the timeout, all of them within
/// ten timeouts (a server answering every hello just in time cannot hold the scan for minutes).
constexpr int kEliminationBudget = 10;

bool over_budget(Clock::time_point started, const Endpoint& endpoint, Enumeration& out) {
    if (Clock::now() - started <= kEliminationBudget * endpoint.timeout) {
        return false;
    }
    out.complete = false;
    out.problem = "elimination stopped after " +
                  std::to_string(kEliminationBudget * endpoint.timeout.count()) + " ms";
    return true;
}

bool version_matches(const ServerHello& hello, std::uint16_t version) {
    return hello.version == version;
}

Enumeration enumerate_suites(const Endpoint& endpoint, std::uint16_t version,
                             std::vector<std::uint16_t> offer, Enumeration seed = {}) {
    Enumeration out = std::move(seed);
    for (const std::uint16_t known : out.suites) {
        offer.erase(std::remove(offer.begin(), offer.end(), known), offer.end());
    }
    const std::size_t rounds = offer.size() + 1;
    const auto started = Clock::now();
    for (std::size_t round = 0; round < rounds && !offer.empty(); ++round) {
        if (over_budget(started, endpoint, out)) {
            break;
        }
        HelloSpec spec;
        spec.version = version;
        spec.suites = offer;
        spec.offer_compression = version <= kTls12;
        const RawHelloOutcome reply = raw_hello(endpoint, spec);
        if (reply.stage != Stage::Done || reply.timeout) {
            out.complete = false;
            out.problem = reply.error.empty() ? std::string("no answer") : reply.error;
            break;
        }
        if (!reply.hello || !version_matches(*reply.hello, version)) {
            break;  // refused what is left (or the version)
        }
        const std::uint16_t chosen = reply.hello->suite;
        const auto at = std::find(offer.begin(), offer.end(), chosen);
        if (at == offer.end()) {
            break;  // chose a suite we did not offer: a broken server; stop asking
        }
        if (!out.first) {
            out.first = reply.hello;
        }
        out.accepted = true;
        out.suites.push_back(chosen);
        offer.erase(at);
    }
    return out;
}

/// Key-exchange groups by elimination: in TLS 1.3 the ServerHello's (or retry request's)
/// key_share names the group; in TLS 1.2 the ECDHE ServerKeyExchange does.
Enumeration enumerate_groups(const Endpoint& endpoint, bool tls13) {
    Enumeration out;
    std::vector<std::uint16_t> offer = enumeration_groups();
    std::vector<std::uint16_t> suites;
    if (tls13) {
        suites = enumeration_suites_tls13();
    } else {
        for (const std::uint16_t suite : enumeration_suites_tls12()) {
            if (ecdhe_suite(suite)) {
                suites.push_back(suite);
            }
        }
        // Finite-field groups are not named in a TLS 1.2 DHE exchange: only curves are asked.
        offer.erase(std::remove_if(offer.begin(), offer.end(),
                                   [](std::uint16_t group) { return group >= 0x0100; }),
                    offer.end());
    }
    const std::size_t rounds = offer.size() + 1;
    const auto started = Clock::now();
    for (std::size_t round = 0; round < rounds && !offer.empty(); ++round) {
        if (over_budget(started, endpoint, out)) {
            break;
        }
        HelloSpec spec;
        spec.version = tls13 ? kTls13 : kTls12;
        spec.suites = suites;
        spec.groups = offer;
        const RawHelloOutcome reply = raw_hello(endpoint, spec, tls13 ? ReadTo::Hello : ReadTo::KeyExchange);
        if (reply.stage != Stage::Done || reply.timeout) {
            out.complete = false;
            out.problem = reply.error.empty() ? std::string("no answer") : reply.error;
            break;
        }
        const std::uint16_t group =
            !reply.hello ? 0 : (tls13 ? reply.hello->group : reply.ske_group);
        const auto at = std::find(offer.begin(), offer.end(), group);
        if (group == 0 || at == offer.end()) {
            break;
        }
        out.suites.push_back(group);
        offer.erase(at);
    }
    return out;
}


}  // namespace

namespace {

// What the concurrent handshakes of phase 2 observed.
struct Observed {
    std::array<HandshakeOutcome, 4> pinned;
    /// When the default handshake completed: each other version by a raw hello offering every
    /// suite of it (pinned then stays empty, unless certificate_request_handshake needs it).
    std::array<std::optional<RawHelloOutcome>, 4> version_hello;
    std::array<HandshakeOutcome, kKeyTypeProbes.size()> by_key_type;
    std::array<bool, 4> skipped{};
    WeakProbe weak;
    std::array<Enumeration, kRawVersions.size()> enumerated;
    RawHelloOutcome ssl3;
    RawHelloOutcome ssl2;
    /// A hello offering only the DHE suites the newest TLS ≤ 1.2 with any accepted (none: not made).
    RawHelloOutcome dhe;
    Enumeration groups;
    RevocationCheck revocation;  ///< the default client's leaf
    /// The other certificates the server holds (a key-type handshake's leaf that is not the
    /// default client's): asked about once those handshakes are done.
    std::array<std::optional<RevocationCheck>, kKeyTypeProbes.size()> revocation_other;
};

// One endpoint's scan: resolve, the modern handshake, the concurrent handshakes, then the facts.
class TlsScanner {
public:
    TlsScanner(const TlsTarget& target, const ProbeContext& context)
        : target_(target), context_(context), full_(target.full_depth),
          // People read the host as written (Unicode); the protocols get its IDNA A-label.
          source_("tls " + url::host_for_display(target.host) + ":" + std::to_string(target.port)) {}

    TlsScan run() {
        if (target_.port < 1 || target_.port > 65535) {
            return unreachable("invalid port " + std::to_string(target_.port));
        }
        if (auto problem = prepare_endpoint()) {
            put("tls.error", *problem);
            scan_.problems.push_back(*problem);
            return std::move(scan_);
        }
        auto addresses = resolve(endpoint_.target.host, target_.port, Clock::now() + endpoint_.timeout);
        if (!addresses) {
            return unreachable(addresses.error().message);
        }
        modern_handshake(addresses.value());
        // A timeout ends the probe whether or not the server spoke first: one that stalls mid-
        // handshake would stall every pinned handshake too, and the scan must stay within --timeout.
        if (modern_.stage == Stage::Connect || modern_.stage == Stage::StartTls || modern_.timeout) {
            return unreachable(modern_.error);
        }
        observe();
        certificate_request_handshake();
        distrust_refused_enumerations();
        legacy_certificate_handshake();
        if (!answered()) {
            return unreachable(modern_.error.empty() ? std::string("no tls answer") : modern_.error);
        }
        put("tls.reachable", true);
        version_facts();
        if (full_) {
            depth_facts();
        } else {
            weak_facts();
        }
        server_certificate_facts();
        client_certificate_facts();
        return std::move(scan_);
    }

private:
    const TlsTarget& target_;
    const ProbeContext& context_;
    const bool full_;
    const std::string source_;
    TlsScan scan_;
    Endpoint endpoint_;
    std::string name_;  // the A-label name the certificate must match
    HandshakeOutcome modern_;
    Observed o_;

    void put(const char* name, Value value) { scan_.facts.insert_or_assign(name, probed(std::move(value), source_)); }

    TlsScan unreachable(const std::string& message) {
        put("tls.reachable", false);
        put("tls.error", message);
        scan_.problems.push_back(message);
        return std::move(scan_);
    }

    // Host names with å, ä, ö are resolved, sent as SNI and matched against the certificate as
    // IDNA A-labels (RFC 6066 §3, RFC 6125 §6.4.2), converted in one place (lisa::url).
    std::optional<std::string> prepare_endpoint() {
        auto ascii_host = url::host_to_ascii(target_.host);
        auto ascii_name = url::host_to_ascii(target_.sni.empty() ? target_.host : target_.sni);
        if (!ascii_host) {
            return "host: " + ascii_host.error().message;
        }
        if (!ascii_name) {
            return "sni: " + ascii_name.error().message;
        }
        endpoint_.target = target_;
        endpoint_.target.host = ascii_host.value();
        endpoint_.timeout = std::max(context_.timeout, std::chrono::milliseconds{1});
        name_ = ascii_name.value();
        endpoint_.sni = is_ip_literal(name_) ? std::string{} : name_;
        endpoint_.opened = std::make_shared<std::atomic<unsigned>>(0);
        return std::nullopt;
    }

    // Phase 1: what a modern default client gets. It also tells us whether anyone is there, so a
    // silent, closed or stalling port costs one timeout, not one per handshake.
    // On the calling (scan worker) thread: nothing runs beside it, so a thread of its own was
    // only the cost of creating one (issue 15: ~10 threads per endpoint).
    void modern_handshake(const std::vector<Address>& addresses) {
        const SigpipeBlock sigpipe;
        for (const Address& address : addresses) {
            endpoint_.address = address;
            HandshakeSpec spec;
            spec.request_ocsp = full_;  // a staple costs no extra connection
            modern_ = run_handshake(endpoint_, spec);
            if (modern_.stage != Stage::Connect) {
                break;  // try the next address only when this one did not even connect
            }
        }
    }

    // Phase 2: pinned versions, key types and weak classes (or, at full depth, the enumerations),
    // concurrently; joined when `workers` goes.
    void observe() {
        Workers workers;
        for (std::size_t i = 0; i < kVersions.size() && !full_; ++i) {
            if (modern_.stage == Stage::Done && accepted_version(modern_, kVersions[i])) {
                o_.skipped[i] = true;  // the default handshake already showed it
                continue;
            }
            if (modern_.stage == Stage::Done) {
                workers.spawn([this, i] {
                    o_.version_hello[i] = version_hello(i);
                    if (refused_unclearly(*o_.version_hello[i])) {
                        o_.version_hello[i].reset();
                        o_.pinned[i] = pinned_handshake(i);
                    }
                });
            } else {
                workers.spawn([this, i] { o_.pinned[i] = pinned_handshake(i); });
            }
        }
        for (std::size_t i = 0; i < kKeyTypeProbes.size(); ++i) {
            if (shown_by_modern(kKeyTypeProbes[i])) {
                continue;  // its handshake would get the default client's certificate again
            }
            workers.spawn([this, i] {
                HandshakeSpec spec;
                spec.legacy = true;
                spec.cipher_list = "ALL:@SECLEVEL=0";
                spec.sigalgs = kKeyTypeProbes[i].sigalgs;
                spec.request_ocsp = full_;  // carries the staple when the default client is refused
                o_.by_key_type[i] = run_handshake(endpoint_, spec);
            });
        }
        if (full_) {
            observe_depth(workers);
            workers.join();
            observe_after_depth();
            return;
        }
        // The last job runs here, beside the spawned ones, rather than on a thread of its own.
        const SigpipeBlock sigpipe;
        o_.weak = probe_weak_raw(endpoint_, (1U << kWeakClasses.size()) - 1U);
    }

    // Full depth: the default handshake completed at a version whose elimination lisa's own first
    // hello found refused. The server wants something that hello lacks, so the version is
    // accepted (the handshake says so) and its suites and everything derived from them are a
    // problem, never an empty list a rule could pass (issue 15: an attacker's RSA-PSS server).
    void distrust_refused_enumerations() {
        if (!full_ || modern_.stage != Stage::Done || !modern_.hello) {
            return;
        }
        for (std::size_t i = 0; i < kRawVersions.size(); ++i) {
            Enumeration& e = o_.enumerated[i];
            if (kRawVersions[i] == modern_.hello->version && !e.accepted && e.complete) {
                e.accepted = true;
                e.complete = false;
                e.problem = "the default handshake completed at " + std::string(version_name(kRawVersions[i])) +
                            ", but the server refused lisa's own hello at that version, so its suites could not be "
                            "enumerated";
            }
        }
        // A TLS 1.3 handshake always agrees on a group: none found by elimination is the same doubt.
        if (modern_.hello->version == kTls13 && o_.groups.complete && o_.groups.suites.empty()) {
            o_.groups.complete = false;
            o_.groups.problem = "the default handshake agreed on a group, but the server refused lisa's own hellos";
        }
    }

    // Full depth makes no pinned handshakes, so when neither the default client nor a key-type
    // handshake saw a certificate (a DSA key, a group only legacy clients offer), the newest
    // version the enumeration found accepted is asked with one, as the default depth does: full
    // depth adds to the default's facts, never loses one (issue 15: an attacker's find).
    void legacy_certificate_handshake() {
        if (!full_ || newest([](const HandshakeOutcome& o) { return o.leaf != nullptr; }) != nullptr) {
            return;
        }
        const SigpipeBlock sigpipe;
        for (std::size_t i = kVersions.size(); i-- > 0;) {
            if (o_.enumerated[i].accepted) {
                o_.pinned[i] = pinned_handshake(i);
                if (o_.pinned[i].leaf) {
                    return;
                }
            }
        }
    }

    // A complete handshake at version kVersions[i] only, offering every suite OpenSSL has: what a
    // server that refuses the default client shows (its certificate, its certificate request).
    HandshakeOutcome pinned_handshake(std::size_t i) const {
        HandshakeSpec spec;
        spec.legacy = true;
        spec.min_version = kVersions[i];
        spec.max_version = kVersions[i];
        if (kVersions[i] != TLS1_3_VERSION) {
            spec.cipher_list = "ALL:@SECLEVEL=0";
        }
        return run_handshake(endpoint_, spec);
    }

    // Whether the server speaks version kVersions[i], once the default handshake has shown its
    // certificate: a raw hello offering every suite of that version, answered or refused (full
    // depth's first elimination step), not a complete handshake that would decode the certificate
    // again (issue 15: the answered kind of the floor). It reads a TLS ≤ 1.2 flight to its end to
    // see a certificate request the default client did not get.
    RawHelloOutcome version_hello(std::size_t i) const {
        const auto version = static_cast<std::uint16_t>(kVersions[i]);
        HelloSpec spec;
        spec.version = version;
        spec.suites = version == kTls13 ? enumeration_suites_tls13() : enumeration_suites_tls12();
        return raw_hello(endpoint_, spec, modern_.cert_requested ? ReadTo::Hello : ReadTo::HelloDone);
    }

    // A version hello answered with neither a ServerHello nor an alert — a hang-up, bytes that
    // are not TLS — does not say the version is refused: OpenSSL's complete handshake at that
    // version decides (one connection more, for such servers only). An alert is the server's
    // answer in TLS (OpenSSL refuses a version it speaks but may not use with handshake_failure,
    // not protocol_version), and lisa's hello offers every extension type, signature scheme and
    // group OpenSSL's client does.
    static bool refused_unclearly(const RawHelloOutcome& out) {
        return out.stage == Stage::Done && !out.timeout && !out.hello && out.alert < 0;
    }

    // A server that asked an older version's hello for a client certificate but not the default
    // client: that version's complete handshake reads the accepted CA names and whether the server
    // insists (one connection more, for such servers only; client_certificate_facts reads it).
    void certificate_request_handshake() {
        if (const auto i = version_hello_asking_for_certificate()) {
            const SigpipeBlock sigpipe;
            o_.pinned[*i] = pinned_handshake(*i);
        }
    }

    // The newest version whose raw hello got a CertificateRequest the default client did not.
    std::optional<std::size_t> version_hello_asking_for_certificate() const {
        if (modern_.stage != Stage::Done || modern_.cert_requested) {
            return std::nullopt;
        }
        for (std::size_t i = kVersions.size(); i-- > 0;) {
            const auto& hello = o_.version_hello[i];
            if (hello && hello->cert_request && hello->hello &&
                version_matches(*hello->hello, static_cast<std::uint16_t>(kVersions[i]))) {
                return i;
            }
        }
        return std::nullopt;
    }

    // Whether the default client's handshake already showed the certificate this key-type probe
    // would get: the server chose a leaf of the probe's own family while offered every family's
    // signature algorithms, so offered only that family's (in the same order: ECDSA before
    // EdDSA, rsa_pss_rsae before PKCS#1) it holds that leaf (issue 15). An RSA-PSS leaf is not
    // counted: the RSA probe's rsae-first offer may get an rsaEncryption one beside it.
    bool shown_by_modern(const KeyTypeProbe& probe) const {
        if (modern_.stage != Stage::Done || !modern_.leaf) {
            return false;
        }
        const std::string type = key_type_of(modern_.leaf.get());
        return std::string_view(probe.family) == "RSA" ? type == "RSA" : type == "EC";
    }

    // Each version's suites by elimination (the first hello also answers the version), SSL 3.0 and
    // 2.0 by raw hellos, the groups, the leaf's revocation (OCSP responder or CRL).
    void observe_depth(Workers& workers) {
        for (std::size_t i = 0; i < kRawVersions.size(); ++i) {
            workers.spawn([this, i] {
                const std::uint16_t version = kRawVersions[i];
                Enumeration seed;
                if (version == kTls13 && modern_.stage == Stage::Done && modern_.hello &&
                    modern_.hello->version == kTls13) {
                    // The default handshake already was the first elimination step.
                    seed.accepted = true;
                    seed.first = modern_.hello;
                    seed.suites.push_back(modern_.hello->suite);
                }
                o_.enumerated[i] = enumerate_suites(
                    endpoint_, version, version == kTls13 ? enumeration_suites_tls13() : enumeration_suites_tls12(),
                    std::move(seed));
            });
        }
        workers.spawn([this] {
            HelloSpec spec;
            spec.version = kSsl3;
            spec.suites = enumeration_suites_tls12();
            o_.ssl3 = raw_hello(endpoint_, spec);
        });
        workers.spawn([this] { o_.ssl2 = raw_ssl2_hello(endpoint_); });
        workers.spawn([this] {
            const bool tls13 = modern_.hello && modern_.hello->version == kTls13;
            o_.groups = enumerate_groups(endpoint_, tls13);
        });
        if (modern_.leaf) {
            workers.spawn([this] {
                o_.revocation = check_revocation(modern_.leaf.get(), modern_.chain.get(), target_.ca_file,
                                                 endpoint_.timeout, *context_.memo);
            });
        }
    }

    // What needs the depth jobs' answers first, concurrently: the DHE group, and the revocation of
    // each other certificate the server holds.
    void observe_after_depth() {
        Workers workers;
        workers.spawn([this] { observe_dhe_group(); });
        for (std::size_t i = 0; i < kKeyTypeProbes.size(); ++i) {
            const HandshakeOutcome& out = o_.by_key_type[i];
            if (!out.leaf || (modern_.leaf && X509_cmp(out.leaf.get(), modern_.leaf.get()) == 0)) {
                continue;
            }
            workers.spawn([this, i] {
                const HandshakeOutcome& held = o_.by_key_type[i];
                o_.revocation_other[i] = check_revocation(held.leaf.get(), held.chain.get(), target_.ca_file,
                                                          endpoint_.timeout, *context_.memo);
            });
        }
    }

    // The newest TLS ≤ 1.2 whose enumeration accepted a DHE suite (a TLS 1.0/1.1-only server
    // counts too); null when none did.
    const Enumeration* dhe_enumeration() const {
        for (std::size_t i = kTls12Index + 1; i-- > 0;) {
            const auto& suites = o_.enumerated[i].suites;
            if (std::any_of(suites.begin(), suites.end(), dhe_suite)) {
                return &o_.enumerated[i];
            }
        }
        return nullptr;
    }

    // The finite-field group behind those DHE suites: one more hello at that version, offering
    // only them, read to its ServerKeyExchange (not made when no version accepted DHE).
    void observe_dhe_group() {
        const Enumeration* with_dhe = dhe_enumeration();
        if (with_dhe == nullptr) {
            return;
        }
        HelloSpec spec;
        spec.version = kRawVersions[static_cast<std::size_t>(with_dhe - o_.enumerated.data())];
        std::copy_if(with_dhe->suites.begin(), with_dhe->suites.end(), std::back_inserter(spec.suites), dhe_suite);
        o_.dhe = raw_hello(endpoint_, spec, ReadTo::KeyExchange);
    }

    bool answered() const {
        bool reachable = modern_.hello.has_value();
        for (const auto& out : o_.pinned) {
            reachable = reachable || out.hello.has_value();
        }
        for (const auto& out : o_.enumerated) {
            reachable = reachable || out.accepted;
        }
        return reachable;
    }

    void version_facts() {
        for (std::size_t i = 0; i < kVersions.size(); ++i) {
            if (full_ && (o_.enumerated[i].complete || o_.enumerated[i].accepted)) {
                put(kVersionFacts[i], o_.enumerated[i].accepted);
            } else if (full_) {
                scan_.problems.push_back(std::string(kVersionFacts[i]) + ": " + o_.enumerated[i].problem);
            } else if (o_.skipped[i]) {
                put(kVersionFacts[i], true);
            } else if (const auto& hello = o_.version_hello[i]) {
                if (hello->stage != Stage::Done || hello->timeout) {
                    scan_.problems.push_back(std::string(kVersionFacts[i]) + ": " +
                                             (hello->error.empty() ? std::string("no answer") : hello->error));
                } else {
                    put(kVersionFacts[i], hello->hello.has_value() &&
                                              version_matches(*hello->hello, static_cast<std::uint16_t>(kVersions[i])));
                }
            } else if (connection_failed(o_.pinned[i])) {
                scan_.problems.push_back(std::string(kVersionFacts[i]) + ": " + o_.pinned[i].error);
            } else {
                put(kVersionFacts[i], accepted_version(o_.pinned[i], kVersions[i]));
            }
        }
        if (!modern_.version.empty()) {
            put("tls.negotiated.protocol", modern_.version);
            put("tls.negotiated.cipher", modern_.cipher);
        } else if (modern_refused()) {
            // Observed, not missing: a modern client gets no session from this server.
            put("tls.negotiated.protocol", std::string("none"));
            put("tls.negotiated.cipher", std::string("none"));
        } else {
            scan_.problems.push_back("modern client: " + modern_.error);
        }
    }

    // The default client's handshake was refused — the server answered in TLS and the handshake
    // failed (it speaks only TLS 1.0/1.1, or only what OpenSSL's defaults refuse: SHA-1, small
    // keys) — while a legacy handshake or hello of the same scan was accepted, so the server
    // works and the refusal is its answer, not a lost connection.
    bool modern_refused() const {
        if (modern_.stage != Stage::Handshake || modern_.timeout || !modern_.server_spoke) {
            return false;
        }
        // A legacy handshake that completed, or got as far as the server insisting on a client
        // certificate (a TLS 1.0-only server with certificate login): the server works.
        const auto done = [](const HandshakeOutcome& out) {
            return out.stage == Stage::Done || (out.cert_required && out.hello.has_value());
        };
        return std::any_of(o_.pinned.begin(), o_.pinned.end(), done) ||
               std::any_of(o_.by_key_type.begin(), o_.by_key_type.end(), done) ||
               std::any_of(o_.enumerated.begin(), o_.enumerated.end(), [](const Enumeration& e) { return e.accepted; });
    }

    void weak_facts() {
        if (!o_.weak.complete) {
            scan_.problems.push_back("tls.cipher.weak_accepted: " + o_.weak.problem);
            return;
        }
        StringList weak;
        for (const WeakClass w : kWeakClasses) {
            if ((o_.weak.accepted & bit(w)) != 0) {
                weak.emplace_back(to_string(w));
            }
        }
        put("tls.cipher.weak_accepted", std::move(weak));
    }

    // The depth facts from what the full-depth jobs saw, plus the two hellos that need their
    // answers first (server order, fallback), run concurrently.
    void depth_facts() {
        put("tls.depth", std::string("full"));
        old_protocol_facts();
        const bool complete = suite_facts();
        legacy_facts();
        group_and_ocsp_facts();
        order_and_fallback_facts(complete);
        put("tls.depth.connections", static_cast<std::int64_t>(endpoint_.opened ? endpoint_.opened->load() : 0));
    }

    // SSL 3.0 and 2.0: a raw hello each (OpenSSL 3 cannot speak them).
    void old_protocol_facts() {
        if (o_.ssl3.stage == Stage::Done && !o_.ssl3.timeout) {
            put("tls.protocol.ssl3", o_.ssl3.hello.has_value() && o_.ssl3.hello->version == kSsl3);
        } else {
            scan_.problems.push_back("tls.protocol.ssl3: " + o_.ssl3.error);
        }
        if (o_.ssl2.stage == Stage::Done && !o_.ssl2.timeout) {
            put("tls.protocol.ssl2", o_.ssl2.hello.has_value());
        } else {
            scan_.problems.push_back("tls.protocol.ssl2: " + o_.ssl2.error);
        }
    }

    // Each version's suites, and once every version is known, what they add up to. False when a
    // version's enumeration is incomplete.
    bool suite_facts() {
        bool complete = true;
        std::vector<std::uint16_t> all_accepted;
        for (std::size_t i = 0; i < o_.enumerated.size(); ++i) {
            const Enumeration& e = o_.enumerated[i];
            if (!e.complete) {
                complete = false;
                scan_.problems.push_back(std::string(kSuiteFacts[i]) + ": " + e.problem);
                continue;
            }
            StringList names;
            for (const std::uint16_t suite : e.suites) {
                names.push_back(suite_name(suite));
                all_accepted.push_back(suite);
            }
            put(kSuiteFacts[i], std::move(names));
        }
        if (!complete) {
            return false;
        }
        unsigned weak = 0;
        bool fs_any = false;
        bool fs_all = !all_accepted.empty();
        bool aead = false;
        for (const std::uint16_t suite : all_accepted) {
            weak |= weak_classes_of(suite);
            fs_any = fs_any || forward_secret(suite);
            fs_all = fs_all && forward_secret(suite);
            aead = aead || (!cbc_suite(suite) && weak_classes_of(suite) == 0);
        }
        StringList weak_names;
        for (const WeakClass w : kWeakClasses) {
            if ((weak & bit(w)) != 0) {
                weak_names.emplace_back(to_string(w));
            }
        }
        put("tls.cipher.weak_accepted", std::move(weak_names));
        put("tls.cipher.fs_offered", fs_any);
        put("tls.cipher.fs_only", fs_all);
        put("tls.cipher.aead_offered", aead);
        return true;
    }

    // Secure renegotiation and compression ride on the first hello of the newest TLS ≤ 1.2
    // version accepted; TLS 1.3 has neither (RFC 8446 §4.1.2, §4.1.3).
    void legacy_facts() {
        const Enumeration* legacy = nullptr;
        bool legacy_known = true;
        for (std::size_t i = 0; i < 3; ++i) {
            if (o_.enumerated[i].accepted && o_.enumerated[i].first) {
                legacy = &o_.enumerated[i];
            }
            legacy_known = legacy_known && (o_.enumerated[i].complete || (o_.enumerated[i].accepted && o_.enumerated[i].first));
        }
        if (legacy != nullptr) {
            put("tls.renegotiation.secure", legacy->first->renegotiation_info);
            put("tls.compression", legacy->first->compression != 0);
        } else if (legacy_known) {
            put("tls.renegotiation.secure", true);
            put("tls.compression", false);
        }
    }

    void group_and_ocsp_facts() {
        if (o_.groups.complete) {
            StringList names;
            for (const std::uint16_t group : o_.groups.suites) {
                names.push_back(group_name(group));
            }
            put("tls.kx.groups", std::move(names));
        } else {
            scan_.problems.push_back("tls.kx.groups: " + o_.groups.problem);
        }
        // "none" only when every TLS ≤ 1.2 enumeration finished without a DHE suite.
        bool legacy_complete = true;
        for (std::size_t i = 0; i <= kTls12Index; ++i) {
            legacy_complete = legacy_complete && o_.enumerated[i].complete;
        }
        const bool no_dhe = dhe_enumeration() == nullptr;
        if (no_dhe && legacy_complete) {
            put("tls.kx.dhe_group", std::string("none"));
        } else if (!o_.dhe.ske_dh_prime.empty()) {
            const DhGroup group = dh_group(o_.dhe.ske_dh_prime);
            put("tls.kx.dhe_group", group.name);
            put("tls.kx.dhe_bits", static_cast<std::int64_t>(group.bits));
        } else if (o_.dhe.stage == Stage::Done && o_.dhe.hello) {
            scan_.problems.push_back("tls.kx.dhe_group: the DHE ServerKeyExchange could not be read");
        } else if (!o_.dhe.error.empty() || o_.dhe.timeout) {
            scan_.problems.push_back("tls.kx.dhe_group: " + (o_.dhe.error.empty() ? std::string("no answer") : o_.dhe.error));
        }
        staple_facts();
        revocation_facts();
    }

    // The staple of the default handshake — of the first complete key-type handshake when the
    // default client is refused (a TLS 1.0-only server) — judged against the leaf it came with
    // (issue 15): a response for another certificate, one whose signature does not verify against
    // the issuer, a stale or a broken one is no staple. Its status is never the leaf's: that is
    // tls.revocation.status, from the responder or the CRL.
    void staple_facts() {
        // A handshake that completed, or ended only because the server insisted on a client
        // certificate: in TLS ≤ 1.2 the staple came in the server's flight before that request.
        const auto through_server_flight = [](const HandshakeOutcome& out) {
            return out.stage == Stage::Done || (out.cert_required && out.leaf != nullptr);
        };
        const HandshakeOutcome* carrier = through_server_flight(modern_) ? &modern_ : nullptr;
        for (const auto& out : o_.by_key_type) {
            carrier = carrier == nullptr && through_server_flight(out) ? &out : carrier;
        }
        if (carrier == nullptr) {
            scan_.problems.push_back("tls.ocsp.stapled: no handshake completed, so no staple could be seen");
            return;
        }
        const StapleCheck staple = check_staple(carrier->staple, carrier->leaf.get(), carrier->chain.get(), target_.ca_file);
        if (staple.verdict.empty()) {
            scan_.problems.push_back("tls.ocsp.stapled: " + staple.problem);
            return;
        }
        put("tls.ocsp.staple", staple.verdict);
        put("tls.ocsp.stapled", staple.verdict == "good" || staple.verdict == "revoked" || staple.verdict == "unknown");
    }

    // The revocation of every certificate the server holds, as one status (issue 15): revoked when
    // any is; else a problem when any could not be checked (a responder or a CRL that failed, a
    // certificate naming neither, an ldap:// CRL only: "could not check" is never a status a rule
    // can pass); else unknown when any responder does not know its certificate; else good.
    // tls.revocation.source: where the statuses the verdict rests on came from (ocsp, crl).
    void revocation_facts() {
        std::vector<const RevocationCheck*> checks;
        if (modern_.leaf) {
            checks.push_back(&o_.revocation);
        }
        for (const auto& other : o_.revocation_other) {
            if (other) {
                checks.push_back(&*other);
            }
        }
        if (checks.empty()) {
            if (newest([](const HandshakeOutcome& o) { return o.leaf != nullptr; }) != nullptr) {
                scan_.problems.push_back("tls.revocation.status: the certificate came only from a handshake pinned to "
                                         "one version; its revocation was not checked");
            }
            return;
        }
        const auto revoked = [](const RevocationCheck* c) { return c->status == "revoked"; };
        const bool any_revoked = std::any_of(checks.begin(), checks.end(), revoked);
        StringList sources;
        for (const RevocationCheck* check : checks) {
            if (check->status.empty() && !any_revoked) {
                scan_.problems.push_back("tls.revocation.status: " + check->problem);
                return;
            }
            if ((!any_revoked || revoked(check)) &&
                std::find(sources.begin(), sources.end(), check->source) == sources.end()) {
                sources.push_back(check->source);
            }
        }
        std::sort(sources.begin(), sources.end());
        const bool unknown = std::any_of(checks.begin(), checks.end(), [](const RevocationCheck* c) {
            return c->status == "unknown";
        });
        put("tls.revocation.status", std::string(any_revoked ? "revoked" : unknown ? "unknown" : "good"));
        put("tls.revocation.source", std::move(sources));
    }

    // The version whose accepted suites (two or more) are offered in reverse to see whose order
    // wins: the newest TLS ≤ 1.2 such version, else TLS 1.3. Null when none has two.
    const Enumeration* order_target(std::uint16_t* version) const {
        const Enumeration* ordered = nullptr;
        for (std::size_t i = 0; i < o_.enumerated.size(); ++i) {
            if (o_.enumerated[i].suites.size() >= 2 && (ordered == nullptr || kRawVersions[i] <= kTls12)) {
                ordered = &o_.enumerated[i];
                *version = kRawVersions[i];
            }
        }
        return ordered;
    }

    // The second-newest accepted version (≤ TLS 1.2), offered with TLS_FALLBACK_SCSV; 0 when none.
    std::uint16_t fallback_target() const {
        std::vector<std::uint16_t> accepted_versions;
        if (o_.ssl3.hello && o_.ssl3.hello->version == kSsl3) {
            accepted_versions.push_back(kSsl3);
        }
        for (std::size_t i = 0; i < o_.enumerated.size(); ++i) {
            if (o_.enumerated[i].accepted) {
                accepted_versions.push_back(kRawVersions[i]);
            }
        }
        if (accepted_versions.size() < 2) {
            return 0;
        }
        const std::uint16_t v = accepted_versions[accepted_versions.size() - 2];
        return v > kTls12 ? 0 : v;
    }

    // Phase 3: server order and fallback protection.
    void order_and_fallback_facts(bool complete) {
        std::uint16_t ordered_version = 0;
        const Enumeration* ordered = order_target(&ordered_version);
        const std::uint16_t fallback_version = fallback_target();
        RawHelloOutcome order_reply;
        RawHelloOutcome fallback_reply;
        {
            Workers workers;
            if (ordered != nullptr) {
                workers.spawn([&] {
                    HelloSpec spec;
                    spec.version = ordered_version;
                    spec.suites.assign(ordered->suites.rbegin(), ordered->suites.rend());
                    order_reply = raw_hello(endpoint_, spec);
                });
            }
            if (fallback_version != 0) {
                workers.spawn([&] {
                    HelloSpec spec;
                    spec.version = fallback_version;
                    spec.suites = enumeration_suites_tls12();
                    spec.fallback_scsv = true;
                    fallback_reply = raw_hello(endpoint_, spec);
                });
            }
        }
        if (ordered == nullptr) {
            if (complete) {
                put("tls.cipher.server_order", true);  // one suite per version: nothing to choose
            }
        } else if (order_reply.stage == Stage::Done && order_reply.hello) {
            put("tls.cipher.server_order", order_reply.hello->suite == ordered->suites.front());
        } else {
            scan_.problems.push_back("tls.cipher.server_order: " +
                                     (order_reply.error.empty() ? std::string("no answer") : order_reply.error));
        }
        fallback_facts(fallback_version, fallback_reply, complete);
    }

    void fallback_facts(std::uint16_t fallback_version, const RawHelloOutcome& reply, bool complete) {
        if (fallback_version == 0) {
            if (complete) {
                put("tls.fallback_scsv", true);  // one version only: nothing to fall back to
            }
        } else if (reply.stage == Stage::Done && reply.hello) {
            put("tls.fallback_scsv", false);  // accepted the downgraded hello
        } else if (reply.stage == Stage::Done && reply.alert == kAlertInappropriateFallback) {
            put("tls.fallback_scsv", true);
        } else {
            scan_.problems.push_back(
                "tls.fallback_scsv: " +
                (reply.alert >= 0 ? "the server refused the downgraded hello with alert " + std::to_string(reply.alert) +
                                        ", not inappropriate_fallback"
                                  : (reply.error.empty() ? std::string("no answer") : reply.error)));
        }
    }

    // The newest outcome that `has`: the default client's first, then the pinned versions', then
    // the key-type handshakes' (at full depth the only legacy handshakes, issue 15).
    template <typename Has>
    const HandshakeOutcome* newest(Has&& has) const {
        if (has(modern_)) {
            return &modern_;
        }
        for (std::size_t i = kVersions.size(); i-- > 0;) {
            if (has(o_.pinned[i])) {
                return &o_.pinned[i];
            }
        }
        for (const auto& out : o_.by_key_type) {
            if (has(out)) {
                return &out;
            }
        }
        return nullptr;
    }

    // Every certificate the server holds: the default client's chain, then each key type's that
    // shows a different leaf.
    std::vector<const HandshakeOutcome*> served_certificates(const HandshakeOutcome* with_cert) const {
        std::vector<const HandshakeOutcome*> served = {with_cert};
        for (const auto& out : o_.by_key_type) {
            if (!out.leaf) {
                continue;
            }
            const bool seen = std::any_of(served.begin(), served.end(), [&](const auto* other) {
                return X509_cmp(other->leaf.get(), out.leaf.get()) == 0;
            });
            if (!seen) {
                served.push_back(&out);
            }
        }
        return served;
    }

    // The certificate's own facts, then each served chain verified on what was sent, against the anchors.
    void server_certificate_facts() {
        const HandshakeOutcome* with_cert = newest([](const HandshakeOutcome& o) { return o.leaf != nullptr; });
        if (with_cert == nullptr) {
            scan_.problems.push_back("no server certificate observed");
            return;
        }
        for (auto& [fact_name, fact] : certificate_facts(with_cert->leaf.get(), name_, context_.as_of, source_)) {
            scan_.facts.insert_or_assign(fact_name, std::move(fact));
        }
        const auto served = served_certificates(with_cert);
        bool valid = true;
        bool complete = true;
        StringList not_named;  // the certificates that do not carry the name, as they name themselves
        std::string verify_error = "ok";
        std::string unchecked;
        StringList key_types;
        std::vector<STACK_OF(X509)*> chains;
        for (const HandshakeOutcome* out : served) {
            const ChainVerdict verdict = verify_chain_cached(out->leaf.get(), out->chain.get(), target_.ca_file,
                                                      target_.trust_intermediates, context_.as_of);
            const std::string type = key_type_of(out->leaf.get());
            if (!verdict.checked) {
                // The trust anchors could not be read: the chain was not judged ("could not
                // check"), never a failed chain.
                unchecked = verdict.error;
            }
            if (!verdict.valid && valid) {
                verify_error = verdict.error + (served.size() > 1 ? " (" + type + " certificate)" : "");
            }
            valid = valid && verdict.valid;
            complete = complete && verdict.complete;
            if (!hostname_matches(out->leaf.get(), name_)) {
                not_named.push_back(certificate_names(out->leaf.get()));
            }
            if (std::find(key_types.begin(), key_types.end(), type) == key_types.end()) {
                key_types.push_back(type);
            }
            if (out->chain) {
                chains.push_back(out->chain.get());
            }
        }
        std::sort(key_types.begin(), key_types.end());
        put("tls.cert.hostname_match", not_named.empty());  // every certificate held, not one
        if (!not_named.empty()) {
            // Which one to replace (issue 15): TLS-006's message and evidence name it.
            put("tls.cert.hostname_mismatch", std::move(not_named));
        }
        if (unchecked.empty()) {
            put("tls.cert.chain_valid", valid);
            put("tls.cert.verify_error", verify_error);
            put("tls.chain.complete", complete);
        } else {
            scan_.problems.push_back("could not check the certificate chain: " + unchecked);
        }
        put("tls.certs.key_types", std::move(key_types));
        for (auto& [fact_name, fact] : chain_facts(chains, context_.as_of, source_)) {
            scan_.facts.insert_or_assign(fact_name, std::move(fact));
        }
    }

    // Client certificates: the default client's view, else the newest pinned version that was
    // asked for a certificate.
    void client_certificate_facts() {
        const HandshakeOutcome* asked = newest([](const HandshakeOutcome& o) { return o.cert_requested; });
        const auto hello_asked = version_hello_asking_for_certificate();
        if (asked == nullptr && hello_asked) {
            // Seen in the raw flight, but the complete handshake at that version failed first:
            // asked, yes; whether the server insists and which CAs it names stay unknown.
            put("tls.client_cert.requested", true);
            scan_.problems.push_back(
                std::string("tls.client_cert.required: the server asked for a client certificate at ") +
                std::string(version_name(static_cast<std::uint16_t>(kVersions[*hello_asked]))) +
                ", but the complete handshake at that version failed (" +
                (o_.pinned[*hello_asked].error.empty() ? std::string("no answer") : o_.pinned[*hello_asked].error) +
                "), so whether it insists and which CAs it accepts are unknown");
            return;
        }
        if (asked == nullptr && newest([](const HandshakeOutcome& o) { return o.stage == Stage::Done; }) == nullptr) {
            // No handshake got through the server's first flight, where a request would be: not
            // asked is not observed (issue 15: an attacker's servers), so nothing is said.
            scan_.problems.push_back("tls.client_cert.requested: no handshake got through the server's first flight, "
                                     "so whether it asks for a client certificate is unknown");
            return;
        }
        put("tls.client_cert.requested", asked != nullptr);
        put("tls.client_cert.required", asked != nullptr && asked->cert_required);
        put("tls.client_cert.ca_names", asked != nullptr ? asked->ca_names : StringList{});
    }
};

}  // namespace

TlsScan scan_tls(const TlsTarget& target, const ProbeContext& context) {
    return TlsScanner(target, context).run();
}

namespace {

/// One row of the tls probe's fact table (probe_spec.hpp's FactSpec, as constant data).
struct TlsFactRow {
    const char* name;
    ValueType type;
    const char* meaning;
};

/// The facts of every TLS scan: reachability, versions, the negotiated suite, the certificates.
const TlsFactRow kTlsFacts[] = {
    {"tls.reachable", ValueType::Bool,
     "a TLS server answered (handshake completed, or "
     "got as far as demanding a client certificate)"},
    {"tls.error", ValueType::String, "why tls.reachable is false"},
    {"tls.protocol.tls1_0", ValueType::Bool, "the server accepts TLS 1.0"},
    {"tls.protocol.tls1_1", ValueType::Bool, "the server accepts TLS 1.1"},
    {"tls.protocol.tls1_2", ValueType::Bool, "the server accepts TLS 1.2"},
    {"tls.protocol.tls1_3", ValueType::Bool, "the server accepts TLS 1.3"},
    {"tls.negotiated.protocol", ValueType::String,
     "protocol a modern default client negotiates (TLSv1.3, TLSv1.2, ...); none when the server "
     "refuses it but accepts a legacy handshake (only TLS 1.0/1.1, SHA-1 or small keys)"},
    {"tls.negotiated.cipher", ValueType::String,
     "cipher suite a modern default client negotiates; none as above"},
    {"tls.cipher.weak_accepted", ValueType::List,
     "weak cipher classes the server accepts: null, anon, export, rc4, des, 3des"},
    {"tls.cert.chain_valid", ValueType::Bool,
     "every chain the server sends (one per key type it holds) verifies as of --as-of "
     "against the trust anchors alone: the self-signed certificates of "
     "endpoint.ca_file (also its intermediates with endpoint.trust_intermediates), "
     "or the system store"},
    {"tls.cert.verify_error", ValueType::String,
     "OpenSSL's verify result (ok when valid); names the key type when the server "
     "holds several certificates"},
    {"tls.chain.complete", ValueType::Bool,
     "every chain the server sends reaches a trust anchor by itself, without "
     "intermediates from ca_file (expiry not considered)"},
    {"tls.certs.key_types", ValueType::List,
     "key types of the certificates the server holds (one handshake per type: EC, RSA, "
     "...)"},
    {"tls.chain.min_days_remaining", ValueType::Integer,
     "days from --as-of to the first expiry among every certificate sent (leaf, "
     "intermediates, root; every key type), negative when one has expired"},
    {"tls.chain.first_expiry", ValueType::Date,
     "expiry date of the certificate that expires first"},
    {"tls.chain.first_expiring_subject", ValueType::String,
     "subject DN of the certificate that expires first"},
    {"tls.chain.weakest_key_type", ValueType::String,
     "key type of the weakest key among every certificate sent (NIST SP 800-57 "
     "strength)"},
    {"tls.chain.weakest_key_bits", ValueType::Integer,
     "size in bits of the weakest key among every certificate sent"},
    {"tls.chain.weakest_signature_algorithm", ValueType::String,
     "weakest signature among the certificates sent (MD5 < SHA-1 < others; a root's "
     "self-signature is not counted)"},
    {"tls.cert.hostname_match", ValueType::Bool,
     "a SAN (or CN) of every certificate the server holds matches the SNI name or the "
     "host (as its IDNA A-label)"},
    {"tls.cert.hostname_mismatch", ValueType::List,
     "only when tls.cert.hostname_match is false: each certificate the server holds that does "
     "not carry the name, as it names itself — key type, subject CN, SANs (\"EC certificate "
     "CN=other.example, SAN other.example\")"},
    {"tls.cert.not_before", ValueType::Date, "certificate start date"},
    {"tls.cert.not_after", ValueType::Date, "certificate expiry date"},
    {"tls.cert.days_remaining", ValueType::Integer,
     "days from --as-of to expiry, negative when expired"},
    {"tls.cert.key_type", ValueType::String, "RSA, RSA-PSS, EC, Ed25519, Ed448, DSA"},
    {"tls.cert.key_bits", ValueType::Integer, "public key size in bits"},
    {"tls.cert.signature_algorithm", ValueType::String,
     "e.g. sha256WithRSAEncryption, ecdsa-with-SHA256"},
    {"tls.cert.self_signed", ValueType::Bool, "the certificate signs itself"},
    {"tls.cert.subject", ValueType::String, "subject DN (RFC 2253)"},
    {"tls.cert.issuer", ValueType::String, "issuer DN (RFC 2253)"},
    {"tls.cert.san", ValueType::List,
     "subject alternative names: DNS names and IPs as-is, email:/URI: prefixed"},
    {"tls.cert.fingerprint_sha256", ValueType::String, "SHA-256 of the DER, hex"},
    {"tls.client_cert.requested", ValueType::Bool,
     "the server asks for a client certificate (CertificateRequest)"},
    {"tls.client_cert.required", ValueType::Bool,
     "the server ends the session without one"},
    {"tls.client_cert.ca_names", ValueType::List,
     "CA names the server accepts client certificates from"},
};

/// Depth facts: only with --tls-depth full (issue 15), from raw ClientHellos.
const TlsFactRow kTlsDepthFacts[] = {
    {"tls.depth", ValueType::String,
     "full when the depth facts below were collected (--tls-depth full); absent otherwise"},
    {"tls.protocol.ssl3", ValueType::Bool,
     "the server accepts SSL 3.0 (raw ClientHello; --tls-depth full)"},
    {"tls.protocol.ssl2", ValueType::Bool,
     "the server answers an SSL 2.0 CLIENT-HELLO with a SERVER-HELLO (--tls-depth full)"},
    {"tls.cipher.suites.tls1_0", ValueType::List,
     "every TLS 1.0 suite the server accepts (IANA names), by elimination; empty when "
     "TLS 1.0 is refused (--tls-depth full)"},
    {"tls.cipher.suites.tls1_1", ValueType::List,
     "every TLS 1.1 suite accepted, by elimination (--tls-depth full)"},
    {"tls.cipher.suites.tls1_2", ValueType::List,
     "every TLS 1.2 suite accepted, by elimination (--tls-depth full)"},
    {"tls.cipher.suites.tls1_3", ValueType::List,
     "every TLS 1.3 suite accepted, by elimination (--tls-depth full)"},
    {"tls.cipher.server_order", ValueType::Bool,
     "the server enforces its own suite order: offered its accepted suites in reverse, "
     "it picks its first choice again (newest TLS <= 1.2 version with two or more "
     "suites, else TLS 1.3; true with one suite per version) (--tls-depth full)"},
    {"tls.cipher.fs_offered", ValueType::Bool,
     "some accepted suite has forward secrecy (ECDHE, DHE or TLS 1.3) (--tls-depth full)"},
    {"tls.cipher.fs_only", ValueType::Bool,
     "every accepted suite has forward secrecy (no static RSA/ECDH/PSK key exchange) "
     "(--tls-depth full)"},
    {"tls.cipher.aead_offered", ValueType::Bool,
     "some accepted suite is AEAD (GCM, CCM, ChaCha20-Poly1305; TLS 1.3): the server is "
     "not CBC-only (--tls-depth full)"},
    {"tls.kx.groups", ValueType::List,
     "key-exchange groups the server accepts, in the order it chose them (TLS 1.3 "
     "key_share, else TLS 1.2 ECDHE curves) (--tls-depth full)"},
    {"tls.kx.dhe_group", ValueType::String,
     "the finite-field group of the server's DHE suites (TLS 1.2): ffdhe2048…8192 (RFC 7919), "
     "modp_1536…8192 (RFC 3526), modp_768/modp_1024 (RFC 2409), dh_1024_160/dh_2048_224/dh_2048_256 "
     "(RFC 5114), or unknown "
     "(a prime of its own); none when TLS 1.2 accepts no DHE suite (--tls-depth full)"},
    {"tls.kx.dhe_bits", ValueType::Integer,
     "the size in bits of that group's prime (--tls-depth full)"},
    {"tls.ocsp.stapled", ValueType::Bool,
     "the server staples a usable OCSP response for the certificate it sends: about that "
     "certificate, signed by its issuer (or a delegated responder), current (--tls-depth full)"},
    {"tls.ocsp.staple", ValueType::String,
     "what the stapled response says of the certificate it came with: good, revoked, unknown; or "
     "why it is no staple: none, other_certificate (a response for another certificate), "
     "unverified (signature), stale, invalid. Never the leaf's revocation status "
     "(tls.revocation.status) (--tls-depth full)"},
    {"tls.revocation.status", ValueType::String,
     "the revocation status of every certificate the server holds, from each one's OCSP "
     "responder or, naming none, its http(s) CRL (fetched once per URL per scan, signed by the "
     "certificate's issuer, current): revoked when any is, else unknown when any responder does "
     "not know its certificate, else good; absent (a probe error) when one could not be checked "
     "(an unreachable responder or CRL, a stale or foreign CRL, an ldap:// CRL only, neither "
     "named) (--tls-depth full)"},
    {"tls.revocation.source", ValueType::List,
     "where the statuses tls.revocation.status rests on came from: ocsp, crl (sorted; of the "
     "revoked certificates when any is) (--tls-depth full)"},
    {"tls.renegotiation.secure", ValueType::Bool,
     "the server supports secure renegotiation (RFC 5746 renegotiation_info); true when "
     "it speaks only TLS 1.3 (--tls-depth full)"},
    {"tls.compression", ValueType::Bool,
     "the server accepts TLS compression (DEFLATE; CRIME) (--tls-depth full)"},
    {"tls.fallback_scsv", ValueType::Bool,
     "a downgraded hello with TLS_FALLBACK_SCSV is refused (RFC 7507), or the server "
     "accepts one version only (--tls-depth full)"},
    {"tls.depth.connections", ValueType::Integer,
     "TCP connections the probe opened for this endpoint (--tls-depth full)"},
};

const ProbeSpec& tls_spec() {
    static const ProbeSpec spec = [] {
        ProbeSpec s;
        s.kind = "tls";
        s.subjects = {SubjectKind::Endpoint};
        s.description =
            "TLS versions, ciphers and certificate of an endpoint (https, ldaps, tls, smtps, or "
            "ldap/smtp with STARTTLS), observed with OpenSSL 3";
        for (const TlsFactRow& row : kTlsFacts) {
            s.facts.push_back({row.name, row.type, row.meaning});
        }
        for (const TlsFactRow& row : kTlsDepthFacts) {
            s.facts.push_back({row.name, row.type, row.meaning});
        }
        return s;
    }();
    return spec;
}

bool is_tls_scheme(const std::string& scheme) {
    return scheme == "https" || scheme == "ldaps" || scheme == "tls" || scheme == "smtps";
}

// An endpoint the tls probe talks to: a TLS scheme, or ldap/smtp with STARTTLS.
bool tls_applies(const EndpointTarget& endpoint) {
    const std::string& scheme = endpoint.url.parts.scheme;
    return is_tls_scheme(scheme) || ((scheme == "ldap" || scheme == "smtp") && endpoint.starttls);
}

int port_of(const EndpointTarget& endpoint) {
    const std::int64_t port = endpoint.url.parts.port;
    return port > 0 && port <= 65535 ? static_cast<int>(port) : 0;
}

class TlsProbe final : public Probe {
public:
    [[nodiscard]] const ProbeSpec& spec() const noexcept override { return tls_spec(); }

    [[nodiscard]] bool applies_to(const ProbeRequest& request) const override {
        const auto* endpoint = request.target<EndpointTarget>();
        return endpoint != nullptr && tls_applies(*endpoint);
    }

    [[nodiscard]] std::string target(const ProbeRequest& request) const override {
        const auto* endpoint = request.target<EndpointTarget>();
        return endpoint == nullptr ? std::string()
                                   : url::host_for_display(endpoint->url.parts.host) + ":" +
                                         std::to_string(port_of(*endpoint));
    }

    [[nodiscard]] Result<ProbeOutput> collect(const ProbeRequest& request) override {
        const auto* endpoint = request.target<EndpointTarget>();
        if (endpoint == nullptr) {
            return Error{"not an endpoint"};
        }
        TlsTarget target;
        target.host = endpoint->url.parts.host;
        target.port = port_of(*endpoint);
        target.sni = endpoint->sni;
        target.ca_file = endpoint->ca_file;  // absolute: the inventory loader resolved it
        target.trust_intermediates = endpoint->trust_intermediates;
        if (endpoint->starttls) {
            if (endpoint->url.parts.scheme == "ldap") {
                target.starttls = StartTls::Ldap;
            } else if (endpoint->url.parts.scheme == "smtp") {
                target.starttls = StartTls::Smtp;
            }
        }
        target.full_depth = request.context.tls_full_depth;
        if (target.host.empty() || target.port == 0) {
            return Error{"endpoint has no usable endpoint.host/endpoint.port"};
        }
        TlsScan scan = scan_tls(target, request.context);
        ProbeOutput output;
        output.facts = std::move(scan.facts);
        for (const auto& problem : scan.problems) {
            output.error += (output.error.empty() ? "" : "; ") + problem;
        }
        return output;
    }
};

}  // namespace
}  // namespace tls_detail

Facts collect_tls_facts(const TlsTarget& target, const ProbeContext& context) {
    return tls_detail::scan_tls(target, context).facts;
}

std::unique_ptr<Probe> make_tls_probe() { return std::make_unique<tls_detail::TlsProbe>(); }

}  // namespace lisa
