/** Which template deploys which: CloudFormation cannot deploy a cycle of nested stacks. */
export class DeploymentGraph<Edge> {
  private readonly edges = new Map<string, { child: string; edge: Edge; key: string }[]>();

  /** `key` tells edges between the same two templates apart (two stack resources deploying the same child). */
  add(parent: string, child: string, edge: Edge, key: string): void {
    const edges = this.edges.get(parent) ?? [];
    if (!edges.some((known) => known.child === child && known.key === key)) edges.push({ child, edge, key });
    this.edges.set(parent, edges);
  }

  /** Each edge that closes a cycle (depth-first, iteratively: a chain of thousands is no deep recursion). */
  cycles(): Edge[] {
    const found: Edge[] = [];
    const state = new Map<string, 'open' | 'done'>();
    for (const start of this.edges.keys()) {
      if (state.has(start)) continue;
      const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
      state.set(start, 'open');
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const edge = this.edges.get(top.node)?.[top.next++];
        if (!edge) {
          state.set(top.node, 'done');
          stack.pop();
        } else if (state.get(edge.child) === 'open') {
          found.push(edge.edge);
        } else if (!state.has(edge.child)) {
          state.set(edge.child, 'open');
          stack.push({ node: edge.child, next: 0 });
        }
      }
    }
    return found;
  }
}
