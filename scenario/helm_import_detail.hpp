// Helpers shared by the daemon and server halves of the Helm import (scenario/helm_import*.cpp).
#pragma once

#include <string>
#include <vector>

#include "scenario/helm_import.hpp"
#include "scenario/helm_values.hpp"

namespace dlsim::scenario::helm_detail {

// Adds `rucio.<path>: value`, located at the Helm value it came from.
void add_entry(Deployment& d, const HelmValues& values, const HelmValue& from,
               const std::string& helm_path, std::string path, std::string value);

// A whole number in [min, max] (a quoted "4" is accepted, as the templates print it).
std::int64_t read_whole(const HelmValues& values, const HelmValue& v, const std::string& path,
                        std::int64_t min, std::int64_t max);

// `resources: {requests: {cpu, memory}, limits: {cpu, memory}}` of a container, validated
// with dlsim's units, written as `<service_path>.resources.…`.
void add_resources(Deployment& d, const HelmValues& values, const HelmValue& resources,
                   const std::string& helm_path, const std::string& service_path,
                   std::vector<std::string>& warnings);

// The rucio-daemons release.
void import_daemons(Deployment& d, const HelmValues& values, std::vector<std::string>& warnings);

// A rucio-server release; `auth_release` for the one listed as server-auth.
void import_server(Deployment& d, const HelmValues& values, bool auth_release,
                   std::vector<std::string>& warnings);
// A rucio-ui release.
void import_ui(Deployment& d, const HelmValues& values, std::vector<std::string>& warnings);

}  // namespace dlsim::scenario::helm_detail
