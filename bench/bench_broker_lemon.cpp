// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * bench_broker_lemon.cpp — the exact reference for the broker's bench (not
 * part of the product; built by bench/run, C++ because LEMON is a C++
 * template library). usage: bench_broker_lemon EDGES_FILE
 *
 * Reads the candidate graph bench_broker --edges writes ("n m", a capacity
 * per vertex, then "u v w" per edge) and computes the maximum-weight
 * b-matching (no coverage stage) exactly with LEMON's maximum-weight
 * matching for general graphs (Edmonds' blossom algorithm), through the
 * usual gadget: each school v becomes cap(v) copies; each pair e = (u, v) of
 * weight w becomes two nodes e_u, e_v with edges copy(u)–e_u, e_u–e_v and
 * e_v–copy(v), each of weight w. A matching either takes e_u–e_v (w: the
 * pair not chosen) or both outer edges (2w: the pair chosen), so the best
 * matching weighs Σw plus the best b-matching. Prints one JSON line:
 * {"lemon_ms": building and solving, "lemon_total": the best b-matching}.
 */
#include <chrono>
#include <cstdio>
#include <vector>

#include <lemon/list_graph.h>
#include <lemon/matching.h>

using Graph = lemon::ListGraph;

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: bench_broker_lemon EDGES_FILE\n");
		return 2;
	}
	std::FILE *f = std::fopen(argv[1], "r");
	size_t n, m;
	if (!f || std::fscanf(f, "%zu %zu", &n, &m) != 2)
		return 1;
	std::vector<int> cap(n);
	for (size_t i = 0; i < n; i++)
		if (std::fscanf(f, "%d", &cap[i]) != 1)
			return 1;
	std::vector<int> eu(m), ev(m);
	std::vector<long long> ew(m);
	for (size_t k = 0; k < m; k++)
		if (std::fscanf(f, "%d %d %lld", &eu[k], &ev[k], &ew[k]) != 3)
			return 1;
	std::fclose(f);

	auto t0 = std::chrono::steady_clock::now();
	Graph g;
	Graph::EdgeMap<long long> w(g);
	std::vector<std::vector<Graph::Node>> copies(n);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < cap[i]; c++)
			copies[i].push_back(g.addNode());
	long long sum = 0;
	for (size_t k = 0; k < m; k++) {
		Graph::Node a = g.addNode(), b = g.addNode();
		w.set(g.addEdge(a, b), ew[k]);
		for (Graph::Node c : copies[eu[k]])
			w.set(g.addEdge(c, a), ew[k]);
		for (Graph::Node c : copies[ev[k]])
			w.set(g.addEdge(b, c), ew[k]);
		sum += ew[k];
	}
	lemon::MaxWeightedMatching<Graph, Graph::EdgeMap<long long>> mwm(g, w);
	mwm.run();
	long long total = mwm.matchingWeight() - sum;
	auto t1 = std::chrono::steady_clock::now();
	std::printf("{\"lemon_ms\": %.2f, \"lemon_total\": %lld}\n",
		    std::chrono::duration<double, std::milli>(t1 - t0).count(), total);
	return 0;
}
