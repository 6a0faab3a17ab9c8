#!/usr/bin/env bash
# A script with mistakes made on purpose: tests/workflow.rs checks that
# the linter reports each of them, so a linter that checks nothing cannot
# pass the course's own scripts.
target=$1
rm -rf $target/build
cd $target
