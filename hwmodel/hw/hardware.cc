#include "hwmodel/hw/hardware.h"

#include <cassert>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace probestorm::hwmodel {

int EffectiveSysmmuVersion(const HardwareOptions& options, const Board& board) {
  if (options.sysmmu_version != 0) return options.sysmmu_version;
  if (board.sysmmu_version != 0) return board.sysmmu_version;
  return board.soc != nullptr ? board.soc->sysmmu_version : 5;
}

absl::Status ValidateHardwareOptions(const HardwareOptions& options, const Board& board) {
  HardwareOptions o = options;
  o.sysmmu_version = EffectiveSysmmuVersion(options, board);
  absl::Status s = ValidateHardwareOptions(o);
  if (!s.ok() && options.sysmmu_version == 0 && board.sysmmu_version != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        s.message(), " (the version is board ", board.name, "'s probestorm,sysmmu-version)"));
  }
  return s;
}

absl::Status ValidateHardwareOptions(const HardwareOptions& options) {
  HardwareOptions o = options;
  if (o.sysmmu_version == 0) o.sysmmu_version = 5;
  if (!IsValidSysmmuVersion(o.sysmmu_version)) {
    return absl::InvalidArgumentError(
        absl::StrCat("sysmmu_version: ", o.sysmmu_version, " is not one of 1, 3, 5, 7"));
  }
  if (o.sysmmu_vm && o.sysmmu_version != 7) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sysmmu_vm: the VM register layout exists only on SysMMU v7, the version is ",
        o.sysmmu_version));
  }
  if (o.block_polls_min < 1 || o.block_polls_max < o.block_polls_min || o.block_polls_max > 120) {
    return absl::InvalidArgumentError(absl::StrCat("block_polls: [", o.block_polls_min, ", ",
                                                   o.block_polls_max, "] must satisfy 1 <= min <= max <= 120"));
  }
  if (o.tlb_entries < 1) return absl::InvalidArgumentError("tlb_entries: must be >= 1");
  constexpr uint64_t kBlock = kPageSize << PhysMemory::kMaxOrder;
  if (o.ram_base == 0 || o.ram_base % kBlock != 0 || o.ram_size == 0 || o.ram_size % kBlock != 0 ||
      (o.sysmmu_version < 5 && o.ram_base + o.ram_size > (uint64_t{1} << 32))) {
    return absl::InvalidArgumentError(
        "ram_base/ram_size: must be non-zero, 4 MiB aligned, and below 4 GiB for SysMMU v1-v3");
  }
  return absl::OkStatus();
}

namespace {

std::string ClockName(const Board& board, int provider, const std::vector<uint32_t>& cells) {
  std::string name = provider >= 0 && static_cast<size_t>(provider) < board.nodes.size()
                         ? board.node(provider).name
                         : absl::StrCat("node", provider);
  if (!cells.empty()) absl::StrAppend(&name, ":", absl::StrJoin(cells, ","));
  return name;
}

}  // namespace

namespace {

HardwareOptions Resolved(HardwareOptions options, const Board& board) {
  options.sysmmu_version = EffectiveSysmmuVersion(options, board);
  return options;
}

}  // namespace

Hardware::Hardware(const Board& board, HardwareOptions options)
    : board_(board), options_(Resolved(options, board)), memory_(options.ram_base, options.ram_size) {
  assert(ValidateHardwareOptions(options_).ok());
  // Every clock and power domain any node references, in node order (deterministic names).
  for (const DtNode& n : board_.nodes) {
    for (const PhandleRef& c : n.clocks) clock(c.node, c.args);
    for (const PhandleRef& p : n.power_domains) power_domain(p.node);
  }
  harness::Engine* e = harness::Engine::CurrentOrNull();
  const harness::Rng root = e != nullptr ? e->model_rng() : harness::Rng(1);
  sysmmus_.resize(board_.nodes.size());
  dma_.resize(board_.nodes.size());
  SysmmuBlockOptions so;
  so.version = options_.sysmmu_version;
  so.vm = options_.sysmmu_vm;
  so.block_polls_min = options_.block_polls_min;
  so.block_polls_max = options_.block_polls_max;
  so.tlb_entries = options_.tlb_entries;
  for (int s : board_.sysmmus) {
    const DtNode& n = board_.node(s);
    const std::string name = n.device_name.empty() ? n.name : n.device_name;
    sysmmus_[static_cast<size_t>(s)] = std::make_unique<SysmmuBlock>(
        name, so, &memory_, NodeClocks(s), NodePowerDomain(s),
        root.Fork(absl::StrCat("hwmodel/sysmmu@", name)));
  }
  for (int m : board_.masters) {
    const DtNode& n = board_.node(m);
    std::vector<SysmmuBlock*> blocks;
    for (const PhandleRef& ref : n.iommus) {
      if (SysmmuBlock* b = sysmmu(ref.node)) blocks.push_back(b);
    }
    dma_[static_cast<size_t>(m)] =
        std::make_unique<DmaEngine>(n.device_name.empty() ? n.name : n.device_name, std::move(blocks));
  }
}

SysmmuBlock* Hardware::sysmmu(int node) {
  if (node < 0 || static_cast<size_t>(node) >= sysmmus_.size()) return nullptr;
  return sysmmus_[static_cast<size_t>(node)].get();
}

DmaEngine* Hardware::dma_engine(int master_node) {
  if (master_node < 0 || static_cast<size_t>(master_node) >= dma_.size()) return nullptr;
  return dma_[static_cast<size_t>(master_node)].get();
}

ClockGate* Hardware::clock(int provider_node, std::vector<uint32_t> cells) {
  harness::RawLockGuard g(mu_);
  ClockKey key{provider_node, std::move(cells)};
  auto it = clocks_.find(key);
  if (it == clocks_.end()) {
    auto gate = std::make_unique<ClockGate>(ClockName(board_, key.first, key.second));
    it = clocks_.emplace(std::move(key), std::move(gate)).first;
  }
  return it->second.get();
}

PowerDomain* Hardware::power_domain(int node) {
  if (node < 0 || static_cast<size_t>(node) >= board_.nodes.size()) return nullptr;
  harness::RawLockGuard g(mu_);
  auto it = domains_.find(node);
  if (it == domains_.end()) {
    it = domains_.emplace(node, std::make_unique<PowerDomain>(board_.node(node).name)).first;
  }
  return it->second.get();
}

std::vector<SysmmuBlock::GateClock> Hardware::NodeClocks(int node) {
  std::vector<SysmmuBlock::GateClock> out;
  if (node < 0 || static_cast<size_t>(node) >= board_.nodes.size()) return out;
  const DtNode& n = board_.node(node);
  for (size_t i = 0; i < n.clocks.size(); ++i) {
    std::string con_id = i < n.clock_names.size() ? n.clock_names[i] : absl::StrCat("clk", i);
    out.push_back({std::move(con_id), clock(n.clocks[i].node, n.clocks[i].args)});
  }
  return out;
}

PowerDomain* Hardware::NodePowerDomain(int node) {
  if (node < 0 || static_cast<size_t>(node) >= board_.nodes.size()) return nullptr;
  const DtNode& n = board_.node(node);
  return n.power_domains.empty() ? nullptr : power_domain(n.power_domains.front().node);
}

}  // namespace probestorm::hwmodel
