#include "driver/kernel.h"


namespace probestorm::kernel {

Kernel::Kernel(const hwmodel::Board& b, const Knobs& k, hwmodel::Hardware* h)
    : board(b), knobs(k), hw(h), by_node_(b.nodes.size(), nullptr) {}

Kernel::~Kernel() = default;

Device* Kernel::DeviceForNode(int node) const {
  if (node < 0 || static_cast<size_t>(node) >= by_node_.size()) return nullptr;
  return by_node_[static_cast<size_t>(node)];
}

Device* Kernel::AddDevice(int node) {
  device_storage_.push_back(std::make_unique<Device>(this, board, node));
  Device* d = device_storage_.back().get();
  by_node_[static_cast<size_t>(node)] = d;
  d->population_index = static_cast<uint32_t>(devices.size());
  devices.push_back(d);
  return d;
}

}  // namespace probestorm::kernel
