// SPDX-License-Identifier: GPL-2.0
/*
 * Print the host's TSC frequency in kHz, measured over 200 ms.
 *
 * Under TCG without icount, QEMU's guest TSC is the host's, but the
 * guest cannot calibrate it (no usable PIT or HPET in a tinyconfig
 * guest) and falls back to jiffies, a 4 ms clock. scripts/bench.sh
 * gives the wall-time boots this value (tsc_early_khz=), so that they
 * time with the TSC.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct timespec pause = { .tv_nsec = 200 * 1000 * 1000 };
	unsigned long long c0, c1;
	double t0, t1;

	t0 = now();
	c0 = __rdtsc();
	nanosleep(&pause, NULL);
	c1 = __rdtsc();
	t1 = now();
	printf("%.0f\n", (c1 - c0) / (t1 - t0) / 1000);
	return 0;
}
