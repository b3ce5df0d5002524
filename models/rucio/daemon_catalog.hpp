// The daemon catalogue is scenario vocabulary (scenario/daemon_catalog.hpp); the Rucio
// models use its names as their own.
#pragma once

#include "scenario/daemon_catalog.hpp"

namespace dlsim::models::rucio {

using sim::DaemonKind;
using sim::OptionDef;
using sim::OptionUnit;
using sim::Partitioning;
using sim::ServerKind;

using sim::daemon_kind_names;
using sim::daemon_kinds;
using sim::find_daemon_kind;
using sim::find_server_kind;
using sim::option_default;
using sim::rucio_versions;
using sim::server_kind_names;

}  // namespace dlsim::models::rucio
