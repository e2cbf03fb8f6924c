package dev.runway.training;

/**
 * Pins a node's concurrent GPU runs to device indexes: the k-th run under way uses GPU k, and an index is given back
 * when its run ends, so that a node with several GPUs does not train every run on GPU 0. With more runs than GPUs
 * (more executor slots than GPUs were set), a run shares the GPU with the fewest runs on it.
 */
final class GpuSlots {

    private final int[] users;

    GpuSlots(int gpus) {
        this.users = new int[Math.max(0, gpus)];
    }

    /** The index of the free GPU with the lowest index (or the least shared one); -1 on a node without GPUs. */
    synchronized int take() {
        int best = -1;
        for (int i = 0; i < users.length; i++) {
            if (best < 0 || users[i] < users[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            users[best]++;
        }
        return best;
    }

    synchronized void release(int index) {
        if (index >= 0 && index < users.length && users[index] > 0) {
            users[index]--;
        }
    }
}
