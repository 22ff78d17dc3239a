// SPDX-License-Identifier: Apache-2.0
// The central store end to end (issue 17): the real lisa binary against a throwaway PostgreSQL
// cluster (Debian's initdb + postgres as the `postgres` user, 127.0.0.1, a free port, a temporary
// folder), stopped by its pid in TearDown whatever the tests did. No mock of libpq.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.hpp"

namespace fs = std::filesystem;
using lisa::testing_support::free_port;
using lisa::testing_support::read_file;
using lisa::testing_support::run_command;
using lisa::testing_support::TempDir;
using lisa::testing_support::today_iso;
using lisa::testing_support::write_file;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

namespace {

const std::string kSource = LISA_SOURCE_DIR;
const std::string kPgBin = "/usr/lib/postgresql/15/bin/";

struct CliRun {
    int status = -1;
    std::string output;
};

CliRun lisa(std::vector<std::string> args) {
    args.insert(args.begin(), LISA_BINARY);
    CliRun r;
    r.status = run_command(args, &r.output);
    return r;
}

// As the `postgres` OS user when we are root (initdb and postgres refuse root).
std::vector<std::string> as_postgres(std::vector<std::string> argv) {
    if (::geteuid() == 0) {
        argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    }
    return argv;
}

class PostgresCluster : public ::testing::Environment {
public:
    void SetUp() override {
        port_ = free_port();
        if (::geteuid() == 0) {
            ASSERT_EQ(run_command({"chown", "postgres:", dir_.path()}), 0);
        }
        ::chmod(dir_.path().c_str(), 0700);
        write_file(dir_.file("superuser.pw"), "cluster-superuser-pw\n");
        if (::geteuid() == 0) {
            ASSERT_EQ(run_command({"chown", "postgres:", dir_.file("superuser.pw")}), 0);
        }
        std::string out;
        ASSERT_EQ(run_command(as_postgres({kPgBin + "initdb", "-D", dir_.file("data"), "-U", "postgres", "-E", "UTF8",
                                           "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
                                           "--pwfile=" + dir_.file("superuser.pw")}),
                              &out),
                  0)
            << out;
        ASSERT_EQ(run_command(as_postgres({kPgBin + "pg_ctl", "start", "-w", "-t", "30", "-D", dir_.file("data"),
                                           "-l", dir_.file("server.log"), "-o",
                                           "-p " + std::to_string(port_) + " -k " + dir_.path() +
                                               " -c listen_addresses=127.0.0.1 -c max_connections=120 -c fsync=off"}),
                              &out),
                  0)
            << out << read_file(dir_.file("server.log"));
        std::ifstream pidfile(dir_.file("data/postmaster.pid"));
        pidfile >> pid_;
        ASSERT_GT(pid_, 0);
        // Logins of the tests: the owner (creates databases, runs init), a pusher, a key
        // administrator and a reader; passwords only in PGPASSFILE (mode 0600).
        std::string pgpass;
        for (const char* user : {"lisa_owner", "pusher", "keyadmin", "reader"}) {
            pgpass += "127.0.0.1:" + std::to_string(port_) + ":*:" + user + ":pw-of-" + user + "\n";
        }
        write_file(dir_.file("pgpass"), pgpass);
        ::chmod(dir_.file("pgpass").c_str(), 0600);
        setenv("PGPASSFILE", dir_.file("pgpass").c_str(), 1);
        unsetenv("PGPASSWORD");
        unsetenv("PGSERVICE");
        ASSERT_EQ(psql("postgres", "CREATE ROLE lisa_owner LOGIN CREATEDB CREATEROLE PASSWORD 'pw-of-lisa_owner'"), "");
    }

    void TearDown() override {
        // Stopped by its pid: fast shutdown, then SIGKILL after 10 s.
        if (pid_ > 0) {
            ::kill(pid_, SIGINT);
            for (int i = 0; i < 100 && ::kill(pid_, 0) == 0; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            if (::kill(pid_, 0) == 0) {
                ::kill(pid_, SIGKILL);
            }
        }
    }

    /// Runs SQL as the superuser over the cluster's socket; returns the unaligned output, or
    /// "ERROR: …" text on failure.
    std::string psql(const std::string& db, const std::string& sql, const std::string& user = "postgres") const {
        std::string out;
        const int rc = run_command({"psql", "-h", user == "postgres" ? dir_.path() : "127.0.0.1", "-p",
                                    std::to_string(port_), "-U", user, "-d", db, "-v", "ON_ERROR_STOP=1", "-qAt",
                                    "-c", sql},
                                   &out);
        return rc == 0 ? out : "ERROR(" + std::to_string(rc) + "): " + out;
    }

    std::string url(const std::string& user, const std::string& db) const {
        return "postgresql://" + user + "@127.0.0.1:" + std::to_string(port_) + "/" + db;
    }
    [[nodiscard]] int port() const { return port_; }

private:
    TempDir dir_;
    int port_ = 0;
    int pid_ = -1;
};

PostgresCluster* cluster = nullptr;
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(cluster = new PostgresCluster);

// A fresh database per test with the schema, roles and the three logins.
std::string fresh_database() {
    static int counter = 0;
    const std::string db = "lisa_t" + std::to_string(++counter);
    EXPECT_EQ(cluster->psql("postgres", "CREATE DATABASE " + db + " OWNER lisa_owner"), "");
    const CliRun init = lisa({"central", "init", "--to", cluster->url("lisa_owner", db)});
    EXPECT_EQ(init.status, 0) << init.output;
    cluster->psql("postgres",
                  "DO $$ BEGIN "
                  "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='pusher') THEN "
                  "CREATE ROLE pusher LOGIN PASSWORD 'pw-of-pusher' IN ROLE lisa_pusher; END IF; "
                  "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='keyadmin') THEN "
                  "CREATE ROLE keyadmin LOGIN PASSWORD 'pw-of-keyadmin' IN ROLE lisa_key_admin; END IF; "
                  "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='reader') THEN "
                  "CREATE ROLE reader LOGIN PASSWORD 'pw-of-reader' IN ROLE lisa_reader; END IF; END $$");
    return db;
}

void make_key(const std::string& priv, const std::string& pub) {
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "ED25519", "-out", priv}), 0);
    ASSERT_EQ(run_command({"openssl", "pkey", "-in", priv, "-pubout", "-out", pub}), 0);
}

// A real scan of the small example municipality (kommunkod 9998): its full report and its
// signed central profile, dated today so nothing mixes a fixed date with the run's clock.
void scan_smakommun(const TempDir& dir, const std::string& key) {
    const CliRun s = lisa({"scan", "--inventory", kSource + "/examples/smakommun/inventory.yaml", "--as-of", today_iso(),
                        "--no-history", "--format", "json", "--format", "central", "--output-dir", dir.file("out"),
                        "--sign", key, "--allow-incomplete"});
    ASSERT_TRUE(s.status == 0) << s.output;
}

std::string sign(const std::string& data_path, const std::string& key) {
    std::string sig;
    EXPECT_EQ(run_command({"/bin/sh", "-c", "openssl pkeyutl -sign -rawin -inkey \"$0\" -in \"$1\" | base64 -w0", key,
                           data_path},
                          &sig),
              0);
    write_file(data_path + ".sig", sig + "\n");
    return sig;
}

TEST(CentralStore, UrlCarryingAPasswordIsRefusedWithoutEchoingIt) {
    const std::string db = fresh_database();
    const std::string port = std::to_string(cluster->port());
    for (const std::string& url : {"postgresql://pusher:Hemligt-42@127.0.0.1:" + port + "/" + db,
                                   "postgresql://pusher@127.0.0.1:" + port + "/" + db + "?password=Hemligt-42",
                                   "postgres://pusher:Hemligt-42@127.0.0.1:" + port + "/" + db}) {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"push", "profile.json", "--to", url},
                 {"keys", "add", "--municipality-code", "1234", kSource + "/README.md", "--to", url},
                 {"aggregate", "--history", url},
                 {"history", "--history", url},
                 {"scan", "--inventory", kSource + "/examples/smakommun/inventory.yaml", "--history", url}}) {
            const CliRun r = lisa(args);
            EXPECT_EQ(r.status, 2) << args[0] << " " << r.output;
            EXPECT_THAT(r.output, HasSubstr("PGPASSFILE")) << args[0];
            EXPECT_THAT(r.output, Not(HasSubstr("Hemligt-42"))) << args[0];
        }
    }
}

// The history behind one interface: the same scan stored in SQLite and in PostgreSQL lists the
// same run and renders the same report back.
TEST(CentralStore, HistoryOnPostgresqlMatchesSqlite) {
    const std::string db = fresh_database();
    TempDir dir;
    const std::string pg = cluster->url("lisa_owner", db);
    const std::string sqlite = dir.file("history.db");
    std::string json_pg;
    std::string json_sqlite;
    for (const auto& [store, json] : {std::pair<std::string, std::string*>{pg, &json_pg}, {sqlite, &json_sqlite}}) {
        for (int i = 0; i < 2; ++i) {
            const CliRun s = lisa({"scan", "--inventory", kSource + "/examples/smakommun/inventory.yaml", "--as-of",
                                today_iso(-i), "--history", store, "--format", "json", "--output",
                                dir.file("r" + std::to_string(i) + ".json"), "--allow-incomplete"});
            ASSERT_EQ(s.status, 0) << s.output;
            EXPECT_THAT(s.output, Not(HasSubstr("not stored")));
        }
        const CliRun h = lisa({"history", "--history", store});
        EXPECT_EQ(h.status, 0) << h.output;
        EXPECT_THAT(h.output, HasSubstr("2 runs in"));
        const CliRun report = lisa({"report", "2", "--history", store, "--format", "json"});
        EXPECT_EQ(report.status, 0) << report.output;
        *json = report.output;
        const CliRun diff = lisa({"diff", "--history", store});
        EXPECT_EQ(diff.status, 0) << diff.output;
    }
    EXPECT_EQ(json_pg, json_sqlite);
    EXPECT_EQ(cluster->psql(db, "SELECT count(*) FROM runs"), "2\n");
    EXPECT_EQ(cluster->psql(db, "SELECT version FROM lisa_schema"), "1\n");
}

TEST(CentralStore, PushAcceptsOnlyAProfileSignedByItsMunicipality) {
    const std::string db = fresh_database();
    TempDir dir;
    make_key(dir.file("a.pem"), dir.file("a.pub"));
    make_key(dir.file("b.pem"), dir.file("b.pub"));
    scan_smakommun(dir, dir.file("a.pem"));
    const std::string admin = cluster->url("keyadmin", db);
    const std::string pusher = cluster->url("pusher", db);
    ASSERT_EQ(lisa({"keys", "add", "--municipality-code", "9998", dir.file("a.pub"), "--to", admin}).status, 0);
    ASSERT_EQ(lisa({"keys", "add", "--municipality-code", "0999", dir.file("b.pub"), "--to", admin}).status, 0);
    const std::string profile = dir.file("out/profile.central.json");

    // Unknown municipality: the profile's code has no key (re-signed with a, code changed).
    std::string text = read_file(profile);
    const auto at = text.find("\"9998\"");
    ASSERT_NE(at, std::string::npos);
    std::string unknown = text;
    unknown.replace(at, 6, "\"0777\"");
    write_file(dir.file("unknown.json"), unknown);
    sign(dir.file("unknown.json"), dir.file("a.pem"));
    CliRun r = lisa({"push", dir.file("unknown.json"), "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("no public key is registered for municipality 0777"));

    // Another municipality's code, signed with this municipality's key.
    std::string other = text;
    other.replace(at, 6, "\"0999\"");
    write_file(dir.file("other.json"), other);
    sign(dir.file("other.json"), dir.file("a.pem"));
    r = lisa({"push", dir.file("other.json"), "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("does not verify against the key registered for municipality 0999"));

    // Tampered: one byte changed after signing.
    std::string tampered = text;
    tampered[tampered.find("Småkommun")] = 'X';
    write_file(dir.file("tampered.json"), tampered);
    r = lisa({"push", dir.file("tampered.json"), "--signature", profile + ".sig", "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("changed after signing"));

    // Signed by another municipality's key.
    write_file(dir.file("byb.json"), text);
    sign(dir.file("byb.json"), dir.file("b.pem"));
    r = lisa({"push", dir.file("byb.json"), "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;

    // A full report, even correctly signed, is refused with the profile to push instead.
    r = lisa({"push", dir.file("out/report.json"), "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("full lisa report"));
    EXPECT_THAT(r.output, HasSubstr("--format central"));
    EXPECT_EQ(cluster->psql(db, "SELECT count(*) FROM profiles"), "0\n");

    // The genuine profile: stored once, however often it is pushed.
    r = lisa({"push", profile, "--signature", profile + ".sig", "--to", pusher});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("stored"));
    r = lisa({"push", profile, "--to", pusher});
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("already stored"));
    EXPECT_EQ(cluster->psql(db, "SELECT count(*), min(municipality_code) FROM profiles"), "1|9998\n");
}

// A new user's attack (try17), each as it was found: a key file that also holds the private key,
// a key type lisa does not sign with, a full report given the profile's two keys, a signed
// profile of another shape stored around push, a municipality whose only profile is partial, and
// terminal controls in what an error quotes.
TEST(CentralStore, KeysProfilesAndListsHoldAgainstAClumsyOrHostileHand) {
    const std::string db = fresh_database();
    TempDir dir;
    make_key(dir.file("a.pem"), dir.file("a.pub"));
    const std::string admin = cluster->url("keyadmin", db);
    const std::string pusher = cluster->url("pusher", db);
    write_file(dir.file("both.pem"), read_file(dir.file("a.pem")) + read_file(dir.file("a.pub")));
    CliRun r = lisa({"keys", "add", "--municipality-code", "0004", dir.file("both.pem"), "--to", admin});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("holds a private key"));
    ASSERT_EQ(run_command({"openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out",
                           dir.file("rsa.pem")}),
              0);
    ASSERT_EQ(run_command({"openssl", "pkey", "-in", dir.file("rsa.pem"), "-pubout", "-out", dir.file("rsa.pub")}), 0);
    r = lisa({"keys", "add", "--municipality-code", "0160", dir.file("rsa.pub"), "--to", admin});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("only Ed25519 or ECDSA P-256"));
    EXPECT_EQ(cluster->psql(db, "SELECT count(*) FROM municipality_keys"), "0\n");
    r = lisa({"keys", "add", "--municipality-code", "12\x1b[31m", dir.file("a.pub"), "--to", admin});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << "a raw terminal control on standard error";
    EXPECT_THAT(r.output, HasSubstr("\\x1b[31m"));

    scan_smakommun(dir, dir.file("a.pem"));
    ASSERT_EQ(lisa({"keys", "add", "--municipality-code", "9998", dir.file("a.pub"), "--to", admin}).status, 0);
    // The store keeps the key re-encoded (here the same PEM openssl wrote), never a file's other bytes.
    EXPECT_EQ(cluster->psql(db, "SELECT public_key_pem FROM municipality_keys"), read_file(dir.file("a.pub")) + "\n");
    // A full report given the profile's two keys is still a full report.
    Json hybrid = Json::parse(read_file(dir.file("out/report.json")));
    hybrid["profile"] = "lisa-central";
    hybrid["profile_version"] = 1;
    write_file(dir.file("hybrid.json"), hybrid.dump());
    sign(dir.file("hybrid.json"), dir.file("a.pem"));
    r = lisa({"push", dir.file("hybrid.json"), "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_THAT(r.output, HasSubstr("has a key the profile does not have"));
    // A signed profile whose counts are words, stored around push by the owner: aggregate skips
    // and counts it, and the municipality is not reported (it has no profile that can be read).
    Json words = Json::parse(read_file(dir.file("out/profile.central.json")));
    words["indicators"][1]["by_provenance"] = {{"probed", "many"}};
    write_file(dir.file("words.json"), words.dump());
    sign(dir.file("words.json"), dir.file("a.pem"));
    r = lisa({"push", dir.file("words.json"), "--to", pusher});
    EXPECT_EQ(r.status, 2) << r.output;
    std::string out;
    ASSERT_EQ(run_command({"psql", cluster->url("lisa_owner", db), "-v", "ON_ERROR_STOP=1", "-q", "-v",
                           "p=" + read_file(dir.file("words.json")), "-v", "s=" + read_file(dir.file("words.json.sig")),
                           "-f", "-"},
                          &out,
                          "INSERT INTO profiles (sha256, municipality_code, organization, as_of, finished, complete, "
                          "full_scope, profile_json, signature) VALUES (encode(sha256(convert_to(:'p', 'UTF8')), 'hex'), "
                          "'9998', 'x', current_date, '9999', true, true, :'p', :'s');\n"),
              0)
        << out;
    r = lisa({"aggregate", "--history", cluster->url("reader", db), "--format", "json"});
    ASSERT_EQ(r.status, 0) << r.output;
    Json agg = Json::parse(r.output);
    EXPECT_EQ(agg["municipalities"]["unverified_skipped"], 1) << r.output.substr(0, 600);
    ASSERT_EQ(agg["not_reported"].size(), 1u);
    EXPECT_EQ(agg["not_reported"][0]["municipality_code"], "9998");
    // A partial scan (one system) pushed and verified is not a report of the whole municipality.
    const CliRun partial = lisa({"scan", "--inventory", kSource + "/examples/smakommun/inventory.yaml", "--as-of",
                                 today_iso(), "--no-history", "--format", "central", "--output-dir", dir.file("part"),
                                 "--sign", dir.file("a.pem"), "--allow-incomplete", "--system", "socialtjanst"});
    ASSERT_EQ(partial.status, 0) << partial.output;
    r = lisa({"push", dir.file("part/profile.central.json"), "--to", pusher});
    ASSERT_EQ(r.status, 0) << r.output;
    agg = Json::parse(lisa({"aggregate", "--history", cluster->url("reader", db), "--format", "json"}).output);
    ASSERT_EQ(agg["not_reported"].size(), 1u);
    // The whole municipality's profile, pushed as lisa wrote it, is reported and counted.
    ASSERT_EQ(lisa({"push", dir.file("out/profile.central.json"), "--to", pusher}).status, 0);
    agg = Json::parse(lisa({"aggregate", "--history", cluster->url("reader", db), "--format", "json"}).output);
    EXPECT_EQ(agg["not_reported"].size(), 0u);
    EXPECT_EQ(agg["municipalities"]["counted"], 1);
}

TEST(CentralStore, PusherCannotAddAKeyNorChangeStoredProfiles) {
    const std::string db = fresh_database();
    TempDir dir;
    make_key(dir.file("a.pem"), dir.file("a.pub"));
    CliRun r = lisa({"keys", "add", "--municipality-code", "1234", dir.file("a.pub"), "--to", cluster->url("pusher", db)});
    EXPECT_EQ(r.status, 5) << r.output;
    EXPECT_THAT(r.output, HasSubstr("permission denied"));
    EXPECT_THAT(r.output, HasSubstr("lisa_key_admin"));
    EXPECT_EQ(cluster->psql(db, "SELECT count(*) FROM municipality_keys"), "0\n");
    r = lisa({"keys", "add", "--municipality-code", "1234", dir.file("a.pub"), "--to", cluster->url("keyadmin", db)});
    EXPECT_EQ(r.status, 0) << r.output;
    // A second key for the same code needs --replace; a bad code or a non-key is an input error.
    EXPECT_EQ(lisa({"keys", "add", "--municipality-code", "1234", dir.file("a.pub"), "--to", cluster->url("keyadmin", db)}).status, 2);
    EXPECT_EQ(lisa({"keys", "add", "--municipality-code", "12345", dir.file("a.pub"), "--to", cluster->url("keyadmin", db)}).status, 2);
    EXPECT_EQ(lisa({"keys", "add", "--municipality-code", "1235", dir.file("a.pem"), "--to", cluster->url("keyadmin", db)}).status, 2);
    // The pusher role inserts profiles and nothing else.
    for (const char* sql : {"DELETE FROM profiles", "UPDATE profiles SET complete = true", "DELETE FROM municipality_keys",
                            "UPDATE municipality_keys SET public_key_pem = ''", "SELECT profile_json FROM profiles"}) {
        EXPECT_THAT(cluster->psql(db, sql, "pusher"), HasSubstr("permission denied")) << sql;
    }
    // The key administrator cannot insert profiles.
    EXPECT_THAT(cluster->psql(db, "INSERT INTO profiles (sha256, municipality_code, organization, as_of, finished, "
                                  "complete, full_scope, profile_json, signature) VALUES (repeat('a', 64), '1234', "
                                  "'x', '2026-01-01', 'x', true, true, '{}', 'x')",
                              "keyadmin"),
                HasSubstr("permission denied"));
}

// 290 generated municipalities (Socialstyrelsen's 2023 size groups) plus a real scan: aggregate
// gives the chosen distribution back exactly, ignoring superseded, partial-scope, future and
// unverifiable profiles and counting incomplete scans apart.
TEST(CentralStore, AggregateGivesBackTheGeneratedPopulationExactly) {
    const std::string db = fresh_database();
    TempDir dir;
    const std::string as_of = today_iso();
    // Three monthly audits per municipality, each with its own answers and score: the trends.
    ASSERT_EQ(run_command({"python3", kSource + "/tests/central/make_population.py", dir.file("pop"), as_of, "--audits", "3"}), 0);
    const Json expected = Json::parse(read_file(dir.file("pop/expected.json")));
    // Keys: one lisa call each, as the key administrator would.
    int keys = 0;
    for (const auto& entry : fs::directory_iterator(dir.file("pop/keys"))) {
        const std::string code = entry.path().filename().string().substr(0, 4);
        const CliRun k = lisa({"keys", "add", "--municipality-code", code, entry.path().string(), "--to",
                            cluster->url("keyadmin", db)});
        ASSERT_EQ(k.status, 0) << k.output;
        ++keys;
    }
    EXPECT_EQ(keys, 297);
    // Profiles: one batch push as the pusher.
    std::vector<std::string> push = {"push"};
    for (const auto& entry : fs::directory_iterator(dir.file("pop/profiles"))) {
        if (entry.path().extension() == ".json") push.push_back(entry.path().string());
    }
    push.insert(push.end(), {"--to", cluster->url("pusher", db)});
    const CliRun p = lisa(push);
    ASSERT_EQ(p.status, 0) << p.output.substr(0, 2000);
    // Profiles whose signature does not cover their bytes, inserted around lisa push by the owner.
    for (const auto& entry : fs::directory_iterator(dir.file("pop/tampered"))) {
        if (entry.path().extension() != ".json") continue;
        const Json doc = Json::parse(read_file(entry.path().string()));
        std::string out;
        ASSERT_EQ(run_command({"psql", cluster->url("lisa_owner", db), "-v", "ON_ERROR_STOP=1", "-q", "-v",
                               "p=" + read_file(entry.path().string()), "-v",
                               "s=" + read_file(entry.path().string() + ".sig"), "-v",
                               "c=" + doc["organization"]["municipality_code"].get<std::string>(), "-v",
                               "d=" + doc["run"]["as_of"].get<std::string>(), "-f", "-"},
                              &out,
                              "INSERT INTO profiles (sha256, municipality_code, organization, as_of, finished, complete, "
                              "full_scope, profile_json, signature) VALUES (encode(sha256(convert_to(:'p', 'UTF8')), 'hex'), "
                              ":'c', 'x', :'d', '9999', true, true, :'p', :'s');\n"),
                  0)
            << out;
    }
    // A real lisa scan of the small example municipality joins the population.
    make_key(dir.file("real.pem"), dir.file("real.pub"));
    scan_smakommun(dir, dir.file("real.pem"));
    ASSERT_EQ(lisa({"keys", "add", "--municipality-code", "9998", dir.file("real.pub"), "--to", cluster->url("keyadmin", db)}).status, 0);
    ASSERT_EQ(lisa({"push", dir.file("out/profile.central.json"), "--to", cluster->url("pusher", db)}).status, 0);
    const Json real = Json::parse(read_file(dir.file("out/profile.central.json")));
    ASSERT_TRUE(real["run"]["complete"].get<bool>());

    const CliRun agg = lisa({"aggregate", "--history", cluster->url("reader", db), "--as-of", as_of, "--format", "json"});
    ASSERT_EQ(agg.status, 0) << agg.output;
    const Json got = Json::parse(agg.output);
    EXPECT_EQ(got["municipalities"]["counted"], expected["counted"].get<int>() + 1);
    EXPECT_EQ(got["municipalities"]["incomplete_scans"], expected["incomplete"]);
    EXPECT_EQ(got["municipalities"]["unverified_skipped"], expected["unverified"]);
    EXPECT_EQ(got["municipalities"]["with_keys"], 298);
    std::map<std::string, Json> by_key;
    for (const auto& q : got["questions"]) {
        by_key[q["id"].get<std::string>() + "|" + (q["scope"].is_null() ? "" : q["scope"].get<std::string>())] = q;
    }
    for (const auto& [key, want] : expected["questions"].items()) {
        ASSERT_EQ(by_key.count(key), 1U) << key;
        Json national = want["national"];
        // The real scan's answer to this question, counted nationally and in its size group.
        for (const auto& ind : real["indicators"]) {
            const std::string k = ind["id"].get<std::string>() + "|" + (ind["scope"].is_null() ? "" : ind["scope"].get<std::string>());
            if (k == key && ind["answer"].is_string()) {
                const std::string a = ind["answer"];
                national["counts"][a] = national["counts"].value(a, 0) + 1;
                national["n"] = national["n"].get<int>() + 1;
                const std::string prov = ind["by_provenance"].contains("probed") ? "probed"
                                         : ind["by_provenance"].contains("document") ? "document" : "declared";
                national["by_provenance"][prov] = national["by_provenance"][prov].get<int>() + 1;
            }
        }
        const Json& q = by_key[key];
        EXPECT_EQ(q["national"]["n"], national["n"]) << key;
        EXPECT_EQ(q["national"]["by_provenance"], national["by_provenance"]) << key;
        for (const auto& [answer, count] : national["counts"].items()) {
            EXPECT_EQ(q["national"]["counts"][answer], count) << key << " " << answer;
            // Percent as the source prints it: an integer, halves up.
            const long n = national["n"].get<long>();
            EXPECT_EQ(q["national"]["percent"][answer], (200 * count.get<long>() + n) / (2 * n)) << key << " " << answer;
        }
        EXPECT_FALSE(q["national"]["socialstyrelsen"].is_null()) << key;
    }
    // Per size group, for groups the real scan is not in: exact counts and n.
    const std::int64_t real_pop = real["organization"]["population"].get<std::int64_t>();
    for (const auto& [key, want] : expected["questions"].items()) {
        for (const auto& [gid, g] : want["groups"].items()) {
            const bool has_real = (gid == "2023-0-10k" && real_pop < 10000) || (gid == "2023-10-20k" && real_pop >= 10000 && real_pop < 20000) ||
                                  (gid == "2023-20-50k" && real_pop >= 20000 && real_pop < 50000);
            if (has_real) continue;
            for (const auto& [answer, count] : by_key[key]["size_groups"][gid]["counts"].items()) {
                EXPECT_EQ(count, g["counts"].value(answer, 0)) << key << " " << gid << " " << answer;
            }
            EXPECT_EQ(by_key[key]["size_groups"][gid]["n"], g["n"]) << key << " " << gid;
        }
    }
    // Not reported within the year: the 7 extra registered municipalities, with their last date.
    ASSERT_EQ(got["not_reported"].size(), expected["not_reported"].size());
    for (std::size_t i = 0; i < expected["not_reported"].size(); ++i) {
        EXPECT_EQ(got["not_reported"][i], expected["not_reported"][i]);
    }
    // Each municipality's trend: every counted profile up to as_of, latest first, exactly as
    // generated (superseded, same-day and older audits in; partial-scope, future and tampered out).
    ASSERT_EQ(got["trends"].size(), expected["trends"].size() + 1);  // + the real scan (9998)
    for (std::size_t i = 0; i < expected["trends"].size(); ++i) {
        EXPECT_EQ(got["trends"][i], expected["trends"][i]) << expected["trends"][i]["code"];
    }
    const Json& real_trend = got["trends"].back();
    EXPECT_EQ(real_trend["code"], "9998");
    EXPECT_EQ(real_trend["name"], real["organization"]["name"]);
    ASSERT_EQ(real_trend["reports"].size(), 1U);
    EXPECT_EQ(real_trend["reports"][0]["score"], real["score"]["overall"]);
    EXPECT_GE(expected["trends"][6]["reports"].size(), 4U);  // a municipality with superseded audits
    // The text and CSV forms of the same aggregate.
    const CliRun text = lisa({"aggregate", "--history", cluster->url("reader", db), "--as-of", as_of});
    EXPECT_EQ(text.status, 0);
    EXPECT_THAT(text.output, HasSubstr("Socialstyrelsen 2023"));
    EXPECT_THAT(text.output, HasSubstr("Not reported since"));
    EXPECT_THAT(text.output, HasSubstr("Trend per municipality"));
    EXPECT_THAT(text.output, HasSubstr("  1007  Generkommun 7  "));
    // Columns padded by displayed characters: in every question table the n column starts at
    // character 30 even after labels with – or å/ä/ö (multi-byte in UTF-8).
    {
        std::istringstream lines(text.output);
        std::string line;
        bool in_table = false;
        int rows_checked = 0;
        while (std::getline(lines, line)) {
            if (line.rfind("  population", 0) == 0) in_table = true;
            if (line.empty() || line.rfind("Not reported", 0) == 0) in_table = false;
            if (!in_table || line.rfind("  not evidenced", 0) == 0) continue;
            std::vector<std::string> chars;  // one UTF-8 sequence each
            for (char ch : line) {
                if ((static_cast<unsigned char>(ch) & 0xC0) == 0x80 && !chars.empty()) chars.back() += ch;
                else chars.emplace_back(1, ch);
            }
            ASSERT_GT(chars.size(), 31U) << line;
            EXPECT_EQ(chars[29], " ") << line;
            EXPECT_NE(chars[30], " ") << line;
            ++rows_checked;
        }
        EXPECT_GT(rows_checked, 20);
    }
    const CliRun csv = lisa({"aggregate", "--history", cluster->url("reader", db), "--as-of", as_of, "--format", "csv"});
    EXPECT_EQ(csv.status, 0);
    EXPECT_THAT(csv.output, HasSubstr("SEC-LIS,,national,Ja,"));
    // One CSV trend row per question and report; the latest of 1007 first.
    const Json& t7 = expected["trends"][6];
    const std::string latest7 = t7["reports"][0]["as_of"];
    EXPECT_THAT(csv.output, HasSubstr("SEC-LIS,,trend," + t7["reports"][0]["answers"]["SEC-LIS"].get<std::string>() +
                                      ",,,,,,,1007,Generkommun 7,2023-0-10k," + latest7 + ","));
    std::size_t trend_rows = 0;
    for (std::size_t at = csv.output.find(",trend,"); at != std::string::npos; at = csv.output.find(",trend,", at + 1)) ++trend_rows;
    std::size_t reports = 0;
    for (const auto& t : got["trends"]) reports += t["reports"].size();
    EXPECT_EQ(trend_rows, reports * got["questions"].size());

    // The board page: one self-contained Swedish HTML file, read back with libxml2's HTML parser.
    const CliRun html = lisa({"aggregate", "--history", cluster->url("reader", db), "--as-of", as_of, "--format", "html"});
    ASSERT_EQ(html.status, 0) << html.output.substr(0, 2000);
    EXPECT_EQ(html.output.find("<script"), std::string::npos);
    EXPECT_EQ(html.output.find("src="), std::string::npos);
    EXPECT_EQ(html.output.find("http"), std::string::npos);  // no external assets or links
    EXPECT_THAT(html.output, HasSubstr("<html lang=\"sv\">"));
    EXPECT_THAT(html.output, HasSubstr("Ej rapporterat sedan"));
    EXPECT_THAT(html.output, HasSubstr("Utveckling per kommun"));
    write_file(dir.file("aggregate.html"), html.output);
    auto xpath = [&](const std::string& expr) {
        std::string out;
        EXPECT_EQ(run_command({"xmllint", "--html", "--nowarning", "--xpath", expr, dir.file("aggregate.html")}, &out), 0)
            << expr << "\n" << out;
        while (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
    };
    EXPECT_EQ(xpath("count(//table[@class='overview']/tbody/tr)"), std::to_string(got["questions"].size()));
    EXPECT_EQ(xpath("count(//script)"), "0");
    for (const auto& q : got["questions"]) {
        const std::string key = q["id"].get<std::string>() + (q["scope"].is_null() ? "" : "|" + q["scope"].get<std::string>());
        EXPECT_EQ(xpath("string(//table[@class='overview']/tbody/tr[@data-key='" + key + "']/td[@class='n'])"),
                  std::to_string(q["national"]["n"].get<int>()))
            << key;
        for (const auto& [gid, g] : q["size_groups"].items()) {
            EXPECT_EQ(xpath("string(//div[@data-key='" + key + "']//tr[@data-population='" + gid + "']/td[@class='n'])"),
                      std::to_string(g["n"].get<int>()))
                << key << " " << gid;
        }
    }
    EXPECT_EQ(xpath("count(//table[@class='not-reported']/tbody/tr)"), std::to_string(expected["not_reported"].size()));
    EXPECT_EQ(xpath("count(//table[@class='trends']/tbody/tr[@data-code='1007'])"),
              std::to_string(t7["reports"].size()));
}

// 50 pushers at once, each its own profile plus one profile they all push: every profile
// stored exactly once, none lost, each row's SHA-256 the hash of the bytes pushed.
TEST(CentralStore, FiftyConcurrentPushesLoseNothing) {
    const std::string db = fresh_database();
    TempDir dir;
    ASSERT_EQ(run_command({"python3", kSource + "/tests/central/make_population.py", dir.file("pop"), today_iso()}), 0);
    std::vector<std::string> profiles;
    std::set<std::string> codes;
    for (const auto& entry : fs::directory_iterator(dir.file("pop/profiles"))) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() == ".json" && codes.insert(name.substr(0, 4)).second && profiles.size() < 51) {
            profiles.push_back(entry.path().string());
        }
    }
    ASSERT_EQ(profiles.size(), 51U);
    std::sort(profiles.begin(), profiles.end());
    std::string script = "for code in";
    for (const auto& p : profiles) script += " " + fs::path(p).filename().string().substr(0, 4);
    script += "; do \"$0\" keys add --municipality-code $code \"$1/pop/keys/$code.pub.pem\" --to \"$2\" >/dev/null || exit 1; done";
    ASSERT_EQ(run_command({"/bin/sh", "-c", script, LISA_BINARY, dir.path(), cluster->url("keyadmin", db)}), 0);
    std::string launch;
    for (int i = 0; i < 50; ++i) {
        launch += "\"$0\" push \"" + profiles[static_cast<std::size_t>(i)] + "\" \"" + profiles[50] + "\" --to \"$1\" >\"$2/push" +
                  std::to_string(i) + ".log\" 2>&1; echo $? >\"$2/push" + std::to_string(i) + ".rc\" &\n";
    }
    launch += "wait\n";
    ASSERT_EQ(run_command({"/bin/sh", "-c", launch, LISA_BINARY, cluster->url("pusher", db), dir.path()}), 0);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(read_file(dir.file("push" + std::to_string(i) + ".rc")), "0\n")
            << read_file(dir.file("push" + std::to_string(i) + ".log"));
    }
    EXPECT_EQ(cluster->psql(db, "SELECT count(*), count(DISTINCT sha256) FROM profiles"), "51|51\n");
    EXPECT_EQ(cluster->psql(db, "SELECT count(*) FROM profiles WHERE sha256 <> encode(sha256(convert_to(profile_json, 'UTF8')), 'hex')"),
              "0\n");
    for (const auto& p : profiles) {
        std::string sum;
        run_command({"sha256sum", p}, &sum);
        EXPECT_EQ(cluster->psql(db, "SELECT count(*) FROM profiles WHERE sha256 = '" + sum.substr(0, 64) + "'"), "1\n") << p;
    }
}

}  // namespace
