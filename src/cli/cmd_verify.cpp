// SPDX-License-Identifier: Apache-2.0
// lisa verify: a report's detached signature checked.
#include "cli.hpp"
#include "lisa/report/signature.hpp"

namespace lisa::cli {
int cmd_verify(const std::vector<std::string>& args) {
    po::options_description desc("verify options");
    desc.add_options()("help,h", "show this help")("report", po::value<std::string>(), "JSON report")(
        "signature", po::value<std::string>(), "detached signature (default REPORT.sig)")(
        "public-key", po::value<std::string>()->required(), "signer's public key (PEM)");
    po::positional_options_description pos;
    pos.add("report", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa verify REPORT.json --signature REPORT.json.sig --public-key PUB.pem", desc)) {
        return kExitOk;
    }
    if (!vm.count("report")) {
        throw UsageError("lisa verify needs the JSON report");
    }
    const std::string report_path = vm["report"].as<std::string>();
    const std::string sig_path = vm.count("signature") ? vm["signature"].as<std::string>() : report_path + ".sig";
    std::string error;
    auto report = read_file(report_path, detail::kMaxReportJsonBytes, error);
    if (!report) {
        throw UsageError("cannot read " + report_path + ": " + error);
    }
    auto sig = read_file(sig_path, 1 << 16, error);
    if (!sig) {
        throw UsageError("cannot read " + sig_path + ": " + error);
    }
    auto key = read_file(vm["public-key"].as<std::string>(), 1 << 20, error);
    if (!key) {
        throw UsageError("cannot read " + vm["public-key"].as<std::string>() + ": " + error);
    }
    const auto ok = verify_detached(*report, *sig, *key);
    if (!ok) {
        throw UsageError(ok.error().message);
    }
    if (ok.value()) {
        std::cout << "verified: " << terminal_text(report_path, false) << " is signed by that key and unchanged\n";
        return kExitOk;
    }
    std::cout << "NOT VERIFIED: " << terminal_text(report_path, false) << " was changed or not signed by that key\n";
    return kExitGateFailed;
}

}  // namespace lisa::cli
