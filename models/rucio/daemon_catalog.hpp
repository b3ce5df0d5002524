// The daemon catalogue is scenario vocabulary (scenario/daemon_catalog.hpp); the Rucio
// models use its names as their own.
#pragma once

#include "scenario/daemon_catalog.hpp"

namespace dlsim::models::rucio {

using scenario::DaemonKind;
using scenario::OptionDef;
using scenario::OptionUnit;
using scenario::Partitioning;
using scenario::ServerKind;

using scenario::daemon_kind_names;
using scenario::daemon_kinds;
using scenario::find_daemon_kind;
using scenario::find_server_kind;
using scenario::option_default;
using scenario::rucio_versions;
using scenario::server_kind_names;

}  // namespace dlsim::models::rucio
