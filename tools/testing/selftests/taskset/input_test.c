// SPDX-License-Identifier: GPL-2.0
/*
 * What the control files take, whole: a write longer than a page is
 * refused (E2BIG) rather than applied a page at a time, every limit file
 * takes the same range, written one way, and a facet list is split at
 * any white space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "taskset_util.h"

/* A page, then "+uts": kernfs would hand it over in two writes. */
#define LONG_WRITE	(4096 + 4)

FIXTURE(input) {
	char dir[sizeof(MNT_TEMPLATE)];
	char node[256];
};

FIXTURE_SETUP(input)
{
	if (!tasksetfs_registered())
		SKIP(return, "tasksetfs is not available");
	ASSERT_EQ(tasksetfs_mount_tmp(self->dir), 0) TH_LOG("%m: mount");
	snprintf(self->node, sizeof(self->node), "%s/in%d", self->dir,
		 getpid());
	ASSERT_EQ(mkdir(self->node, 0755), 0);
	ASSERT_EQ(write_str(self->node, "taskset.facets", "+tasks +ipc"), 0);
}

FIXTURE_TEARDOWN(input)
{
	rmdir(self->node);
	tasksetfs_umount_tmp(self->dir);
}

/*
 * "-ipc" and white space up to a page, then "+uts": refused whole, so
 * that neither part is applied alone.
 */
TEST_F(input, a_write_longer_than_a_page_is_refused_whole)
{
	char buf[LONG_WRITE];
	bool own;

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "-ipc", 4);
	memcpy(buf + sizeof(buf) - 4, "+uts", 4);
	EXPECT_EQ(write_at(self->node, "taskset.facets", buf, sizeof(buf)),
		  -E2BIG);
	ASSERT_EQ(node_ns(self->node, "ipc", NULL, NULL, &own), 0);
	EXPECT_TRUE(own);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	EXPECT_FALSE(own);
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "7", 1);
	EXPECT_EQ(write_at(self->node, "tasks.max", buf, sizeof(buf)),
		  -E2BIG);
	EXPECT_EQ(write_at(self->node, "taskset.procs", buf, sizeof(buf)),
		  -E2BIG);
}

static const char * const limit_files[] = {
	"tasks.max", "ipc.shmmni.max", "ipc.msgmni.max", "ipc.semmni.max",
};

/*
 * Every limit file takes "max" or digits alone from 0 to 2^31 - 2; a
 * sign, a base prefix or a number beyond is refused and changes nothing.
 */
TEST_F(input, every_limit_file_takes_one_range_written_one_way)
{
	static const char * const bad[] = {
		"+5", "-0", "-1", "0x10", "2147483647", "9223372036854775806",
		"99999999999999999999", "5 5", "", "max5", "5max",
	};
	static const char * const good[] = {
		"0", "2147483646", "007\n", "max",
	};
	unsigned int f, i;
	char buf[64];

	for (f = 0; f < ARRAY_SIZE(limit_files); f++) {
		ASSERT_EQ(write_str(self->node, limit_files[f], "5"), 0);
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			EXPECT_EQ(write_str(self->node, limit_files[f], bad[i]),
				  -EINVAL) TH_LOG("%s: \"%s\"", limit_files[f],
						  bad[i]);
		ASSERT_GT(read_at(self->node, limit_files[f], buf,
				  sizeof(buf)), 0);
		EXPECT_STREQ(buf, "5\n") TH_LOG("%s", limit_files[f]);
		for (i = 0; i < ARRAY_SIZE(good); i++)
			EXPECT_EQ(write_str(self->node, limit_files[f], good[i]),
				  0) TH_LOG("%s: \"%s\"", limit_files[f],
					    good[i]);
	}
}

/* A carriage return separates facet names, as any white space does. */
TEST_F(input, facets_are_split_at_any_white_space)
{
	bool own;

	EXPECT_EQ(write_str(self->node, "taskset.facets", "+uts\r\n"), 0);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	EXPECT_TRUE(own);
	EXPECT_EQ(write_str(self->node, "taskset.facets", "-uts\r-ipc\v"), 0);
	ASSERT_EQ(node_ns(self->node, "uts", NULL, NULL, &own), 0);
	EXPECT_FALSE(own);
	ASSERT_EQ(node_ns(self->node, "ipc", NULL, NULL, &own), 0);
	EXPECT_FALSE(own);
}

TEST_HARNESS_MAIN
