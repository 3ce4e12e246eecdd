package dev.scout.checks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Strongly connected components of a package graph (Tarjan): each one with two or more packages is a cycle. */
final class PackageCycles {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<Set<String>> cycles = new ArrayList<>();
    private int next;

    private PackageCycles(Map<String, Set<String>> graph) {
        this.graph = graph;
    }

    /** The cycles among the edges whose two ends are both in {@code packages}, each as a sorted set. */
    static List<Set<String>> find(Set<String> packages, List<Jdeps.Edge> edges) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String p : packages) {
            graph.put(p, new TreeSet<>());
        }
        for (Jdeps.Edge e : edges) {
            if (!e.from().equals(e.to()) && packages.contains(e.from()) && packages.contains(e.to())) {
                graph.get(e.from()).add(e.to());
            }
        }
        PackageCycles finder = new PackageCycles(graph);
        for (String p : graph.keySet()) {
            if (!finder.index.containsKey(p)) {
                finder.visit(p);
            }
        }
        return finder.cycles;
    }

    private void visit(String p) {
        index.put(p, next);
        low.put(p, next);
        next++;
        stack.push(p);
        onStack.add(p);
        for (String q : graph.get(p)) {
            if (!index.containsKey(q)) {
                visit(q);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (onStack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> component = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                onStack.remove(q);
                component.add(q);
            } while (!q.equals(p));
            if (component.size() > 1) {
                cycles.add(component);
            }
        }
    }
}
