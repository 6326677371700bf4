// Calculated query cost, after Shopify's documented rules for the GraphQL Admin API:
//   scalar / enum field        0
//   object field               1 (+ the cost of its selection)
//   interface / union          the most expensive of the possible selections
//   connection (first / last)  2 + size x (1 + cost of one node's selection); pageInfo and the
//                              edge wrappers are free; size = first or last (requested cost) or
//                              the number of nodes returned (actual cost)
//   mutation field             10, plus any connections selected in its payload, plus the input
//                              costs the schema documents ("Complexity cost: 1.9 per file")
// Fields skipped by @skip / @include cost nothing. The total is rounded up.
import { getNamedType, isAbstractType, isLeafType, isListType, isNonNullType, isObjectType, isInputObjectType, Kind, valueFromAST } from "graphql";
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from "graphql";

export const MUTATION_COST = 10;
export const CONNECTION_COST = 2;
export const OBJECT_COST = 1;

export interface CostContext {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** The cost Shopify charges up front: connections are sized by first/last. */
export function requestedQueryCost(context: CostContext): number {
  return Math.ceil(operationCost(context, undefined));
}

/** The cost of what was actually returned: connections are sized by the nodes in `data`. */
export function actualQueryCost(context: CostContext, data: unknown): number {
  return Math.ceil(operationCost(context, data ?? null));
}

function operationCost(context: CostContext, data: unknown): number {
  const { schema, operation } = context;
  const root =
    operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;
  if (operation.operation !== "mutation") return selectionCost(context, root, operation.selectionSet, data, false);
  let total = 0;
  for (const { node } of collectFields(context, root, operation.selectionSet)) {
    const field = root.getFields()[node.name.value];
    if (!field) continue;
    const value = childData(data, node);
    if (data !== undefined && value === undefined) continue;
    total += MUTATION_COST + inputComplexity(context, field, node);
    const type = getNamedType(field.type);
    if (node.selectionSet && !isLeafType(type)) {
      total += selectionCost(context, type as GraphQLCompositeType, node.selectionSet, value, true);
    }
  }
  return total;
}

/**
 * Cost of a selection on `parentType`. For abstract types the fields under each type condition are
 * grouped and the most expensive group counts. `data` is undefined for the requested cost and the
 * response object for the actual cost. Inside a mutation payload plain objects are free.
 */
function selectionCost(
  context: CostContext,
  parentType: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  data: unknown,
  inPayload: boolean,
): number {
  const groups = new Map<string, FieldNode[]>();
  for (const { node, condition } of collectFields(context, parentType, selectionSet)) {
    const key = condition && condition !== parentType.name && !isAbstractName(context, condition) ? condition : "";
    const list = groups.get(key) ?? [];
    list.push(node);
    groups.set(key, list);
  }
  const costOf = (nodes: FieldNode[], typeName: string) => {
    const type = (typeName ? context.schema.getType(typeName) : parentType) as GraphQLCompositeType;
    let sum = 0;
    for (const node of nodes) sum += fieldCost(context, type, node, data, inPayload);
    return sum;
  };
  let total = costOf(groups.get("") ?? [], "");
  let most = 0;
  for (const [typeName, nodes] of groups) {
    if (typeName === "") continue;
    if (data !== undefined && data !== null && typeof data === "object") {
      const typename = (data as { __typename?: unknown }).__typename;
      if (typeof typename === "string" && typename !== typeName) continue;
    }
    most = Math.max(most, costOf(nodes, typeName));
  }
  total += most;
  return total;
}

function fieldCost(context: CostContext, parentType: GraphQLCompositeType, node: FieldNode, data: unknown, inPayload: boolean): number {
  const name = node.name.value;
  if (name.startsWith("__")) return 0;
  const field = fieldOf(parentType, name);
  if (!field) return 0;
  const type = getNamedType(field.type);
  if (isLeafType(type) || !node.selectionSet) return 0;
  const value = childData(data, node);
  if (data !== undefined && (value === null || value === undefined)) return 0;

  if (isConnection(field)) {
    const { nodeType, nodeSelections } = connectionNodes(context, type, node.selectionSet);
    if (data === undefined) {
      const args = argumentValues(context, field, node);
      const size = numberOr(args.first, numberOr(args.last, 0));
      return CONNECTION_COST + size * nodeCost(context, nodeType, nodeSelections, undefined);
    }
    const list = connectionList(value);
    let perNode = 0;
    for (const item of list) perNode = Math.max(perNode, nodeCost(context, nodeType, nodeSelections, item));
    return CONNECTION_COST + list.length * perNode;
  }

  const composite = type as GraphQLCompositeType;
  if (Array.isArray(value)) {
    if (value.length === 0) return 0;
    let most = 0;
    for (const item of value) most = Math.max(most, selectionCost(context, composite, node.selectionSet, item, inPayload));
    return (inPayload ? 0 : OBJECT_COST) + most;
  }
  return (inPayload ? 0 : OBJECT_COST) + selectionCost(context, composite, node.selectionSet, value, inPayload);
}

function nodeCost(context: CostContext, nodeType: GraphQLNamedType | undefined, selections: SelectionSetNode[], data: unknown): number {
  if (!nodeType || selections.length === 0 || isLeafType(nodeType)) return 0;
  let most = 0;
  for (const selectionSet of selections) {
    most = Math.max(most, selectionCost(context, nodeType as GraphQLCompositeType, selectionSet, data, false));
  }
  return OBJECT_COST + most;
}

/** The node type of a connection and the selection sets on it (from `nodes` and `edges.node`). */
function connectionNodes(
  context: CostContext,
  connectionType: GraphQLNamedType,
  selectionSet: SelectionSetNode,
): { nodeType: GraphQLNamedType | undefined; nodeSelections: SelectionSetNode[] } {
  if (!isObjectType(connectionType)) return { nodeType: undefined, nodeSelections: [] };
  const nodesField = connectionType.getFields().nodes;
  const nodeType = nodesField ? getNamedType(nodesField.type) : undefined;
  const nodeSelections: SelectionSetNode[] = [];
  for (const { node } of collectFields(context, connectionType, selectionSet)) {
    if (node.name.value === "nodes" && node.selectionSet) nodeSelections.push(node.selectionSet);
    if (node.name.value === "edges" && node.selectionSet) {
      const edgeType = connectionType.getFields().edges;
      const edgeNamed = edgeType ? getNamedType(edgeType.type) : undefined;
      if (edgeNamed && isObjectType(edgeNamed)) {
        for (const inner of collectFields(context, edgeNamed, node.selectionSet)) {
          if (inner.node.name.value === "node" && inner.node.selectionSet) nodeSelections.push(inner.node.selectionSet);
        }
      }
    }
  }
  return { nodeType, nodeSelections };
}

function connectionList(value: unknown): unknown[] {
  if (!value || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (Array.isArray(item)) {
      // `nodes` holds the nodes; `edges` holds { node } objects.
      return item.map((entry) => (entry && typeof entry === "object" && "node" in entry ? (entry as { node: unknown }).node : entry));
    }
  }
  return [];
}

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const type = getNamedType(field.type);
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const names = field.args.map((arg) => arg.name);
  return names.includes("first") || names.includes("last");
}

/** Costs the schema documents on input fields, e.g. ProductSetInput.files "Complexity cost: 1.9 per file". */
function inputComplexity(context: CostContext, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const args = argumentValues(context, field, node);
  let total = 0;
  for (const arg of field.args) total += inputValueComplexity(arg.type, args[arg.name]);
  return total;
}

function inputValueComplexity(type: GraphQLInputType, value: unknown): number {
  if (value === null || value === undefined) return 0;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return 0;
    let sum = 0;
    for (const item of value) sum += inputValueComplexity(inner.ofType, item);
    return sum;
  }
  if (!isInputObjectType(inner) || typeof value !== "object") return 0;
  let total = 0;
  const record = value as Record<string, unknown>;
  for (const field of Object.values(inner.getFields())) {
    const fieldValue = record[field.name];
    if (fieldValue === undefined || fieldValue === null) continue;
    const per = /Complexity cost: ([\d.]+) per/.exec(field.description ?? "");
    if (per && Array.isArray(fieldValue)) total += Number(per[1]) * fieldValue.length;
    total += inputValueComplexity(field.type, fieldValue);
  }
  return total;
}

function argumentValues(context: CostContext, field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) {
    const argNode = node.arguments?.find((candidate) => candidate.name.value === arg.name);
    if (!argNode) continue;
    values[arg.name] = valueFromAST(argNode.value, arg.type, context.variables);
  }
  return values;
}

interface CollectedField {
  node: FieldNode;
  condition: string | null;
}

/** Fields of a selection set with fragments flattened; each with its type condition (if any). */
function collectFields(context: CostContext, parentType: GraphQLCompositeType, selectionSet: SelectionSetNode, condition: string | null = null): CollectedField[] {
  const out: CollectedField[] = [];
  for (const selection of selectionSet.selections) {
    if (!included(context, selection.directives)) continue;
    if (selection.kind === Kind.FIELD) out.push({ node: selection, condition });
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value ?? null;
      out.push(...collectFields(context, parentType, selection.selectionSet, typeName ?? condition));
    } else {
      const fragment = context.fragments[selection.name.value];
      if (fragment) out.push(...collectFields(context, parentType, fragment.selectionSet, fragment.typeCondition.name.value));
    }
  }
  return out;
}

function included(context: CostContext, directives: FieldNode["directives"]): boolean {
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const arg = directive.arguments?.find((candidate) => candidate.name.value === "if");
    if (!arg) continue;
    const value = arg.value.kind === Kind.VARIABLE ? context.variables[arg.value.name.value] : arg.value.kind === Kind.BOOLEAN ? arg.value.value : undefined;
    if (name === "skip" && value === true) return false;
    if (name === "include" && value === false) return false;
  }
  return true;
}

function fieldOf(parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  // A union has no fields of its own (only __typename, which is free).
  return "getFields" in parentType ? parentType.getFields()[name] : undefined;
}

function isAbstractName(context: CostContext, name: string): boolean {
  const type = context.schema.getType(name);
  return type !== undefined && type !== null && isAbstractType(type);
}

function childData(data: unknown, node: FieldNode): unknown {
  if (data === undefined) return undefined;
  if (data === null || typeof data !== "object") return null;
  return (data as Record<string, unknown>)[node.alias?.value ?? node.name.value];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
