// graphql-js validation errors -> the error shape Shopify's Admin API answers with.
//
// Shopify runs graphql-ruby. Its static validation errors look like
//   { "message": "Field 'foo' doesn't exist on type 'Product'",
//     "locations": [{ "line": 2, "column": 3 }],
//     "path": ["query GetProduct", "product", "foo"],
//     "extensions": { "code": "undefinedField", "typeName": "Product", "fieldName": "foo" } }
// The messages, codes and extension keys below follow graphql-ruby's StaticValidation rules; the
// path is graphql-ruby's: "<operation type>[ <name>]", "fragment X", "... on T", "... X", field
// aliases (or names), argument and input-field names, and list indexes of input objects.
// Deprecated usage is NOT an error on Shopify; we report it in the same shape (codes
// deprecatedField / deprecatedArgument / deprecatedInputField / deprecatedEnumValue) by policy.
import { getNamedType, isListType, isNonNullType, isUnionType, Kind, print, TypeInfo, validate, visit, visitWithTypeInfo } from "graphql";
import type { ASTNode, DocumentNode, GraphQLError, GraphQLInputType, GraphQLSchema, GraphQLType, ValidationRule } from "graphql";

export interface ShopifyGraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: { code: string; typeName?: string; fieldName?: string; [key: string]: unknown };
}

type Path = (string | number)[];

interface ArgumentContext {
  /** "Field", "Directive" or "InputObject" (graphql-ruby's node class names). */
  ownerKind: "Field" | "Directive" | "InputObject";
  ownerName: string;
  ownerNode: ASTNode;
  argName: string;
  argType: GraphQLInputType | undefined;
  argNode: ASTNode;
}

interface NodeInfo {
  path: Path;
  argument?: ArgumentContext;
  /** Set for NamedType nodes inside a variable definition. */
  variableName?: string;
  /** Set for NamedType nodes that are a fragment's type condition. */
  fragmentCondition?: boolean;
  /** Set for a field's SelectionSet node: the field. */
  field?: ASTNode;
}

/** Shopify's shape for a document that does not parse (graphql-ruby's ParseError#to_h). */
export function parseErrorToShopify(error: GraphQLError): ShopifyGraphqlError {
  const location = error.locations?.[0];
  const at = location ? ` at [${location.line}, ${location.column}]` : "";
  const raw = error.message.replace(/^Syntax Error: /, "");
  let message: string;
  const expected = /^Expected (.+), found (.+)\.$/.exec(raw);
  const unexpected = /^Unexpected (.+)\.$/.exec(raw);
  if ((expected && expected[2] === "<EOF>") || (unexpected && unexpected[1] === "<EOF>")) {
    message = "Unexpected end of document";
  } else if (expected) {
    const [name, value] = tokenName(expected[2] ?? "");
    message = `Expected ${tokenName(expected[1] ?? "")[0]}, actual: ${name} (${JSON.stringify(value)})${at}`;
  } else if (unexpected) {
    const [name, value] = tokenName(unexpected[1] ?? "");
    message = `Parse error on ${JSON.stringify(value)} (${name})${at}`;
  } else {
    message = `${raw.replace(/\.$/, "")}${at}`;
  }
  return {
    message,
    locations: location ? [{ line: location.line, column: location.column }] : [],
    extensions: { code: "parseError" },
  };
}

const PUNCTUATORS: Record<string, string> = {
  "{": "LCURLY",
  "}": "RCURLY",
  "(": "LPAREN",
  ")": "RPAREN",
  "[": "LBRACKET",
  "]": "RBRACKET",
  ":": "COLON",
  $: "VAR_SIGN",
  "@": "DIR_SIGN",
  "...": "ELLIPSIS",
  "=": "EQUALS",
  "!": "BANG",
  "|": "PIPE",
  "&": "AMP",
};

/** graphql-js token description -> [graphql-ruby token name, token text]. */
function tokenName(description: string): [string, string] {
  const quoted = /^"(.*)"$/.exec(description);
  if (quoted) {
    const text = quoted[1] ?? "";
    return [PUNCTUATORS[text] ?? "IDENTIFIER", text];
  }
  const kinded = /^(Name|Int|Float|String|BlockString) "(.*)"$/.exec(description);
  if (kinded) {
    const kind = kinded[1] === "Name" ? "IDENTIFIER" : (kinded[1] ?? "").toUpperCase();
    return [kind === "BLOCKSTRING" ? "STRING" : kind, kinded[2] ?? ""];
  }
  if (description === "Name") return ["IDENTIFIER", ""];
  return [description.toUpperCase(), description];
}

/** Runs each rule separately (so every error knows its rule) and translates the errors. */
export function validationErrorsToShopify(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
): ShopifyGraphqlError[] {
  const infos = analyze(schema, document);
  const out: { error: ShopifyGraphqlError; order: number }[] = [];
  const subscription = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === "subscription",
  );
  if (subscription && !schema.getSubscriptionType()) {
    out.push({
      error: {
        message: "Schema is not configured for subscriptions",
        locations: locationsOf(subscription),
        path: infos.get(subscription)?.path ?? [],
        extensions: { code: "missingSubscriptionConfiguration" },
      },
      order: subscription.loc?.start ?? 0,
    });
  }
  for (const rule of rules) {
    const errors = validate(schema, document, [rule]);
    const translated = translate(rule.name, errors, infos);
    for (const [error, order] of translated) out.push({ error, order });
  }
  out.sort((a, b) => a.order - b.order);
  return out.map((entry) => entry.error);
}

function translate(ruleName: string, errors: readonly GraphQLError[], infos: Map<ASTNode, NodeInfo>): [ShopifyGraphqlError, number][] {
  if (ruleName === "ProvidedRequiredArgumentsRule") return missingArguments(errors, infos);
  return errors.map((error) => {
    const shaped = translateOne(ruleName, error, infos);
    return [shaped, error.nodes?.[0]?.loc?.start ?? 0];
  });
}

function translateOne(ruleName: string, error: GraphQLError, infos: Map<ASTNode, NodeInfo>): ShopifyGraphqlError {
  const node = error.nodes?.[0];
  const info = node ? infos.get(node) : undefined;
  const base = (message: string, extensions: ShopifyGraphqlError["extensions"], at: ASTNode | undefined = node) => ({
    message,
    locations: at ? locationsOf(at) : locationsFromError(error),
    path: (at ? infos.get(at)?.path : info?.path) ?? info?.path ?? [],
    extensions,
  });
  const m = error.message;
  let match: RegExpExecArray | null;

  switch (ruleName) {
    case "FieldsOnCorrectTypeRule":
      if ((match = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(m))) {
        const [, fieldName = "", typeName = ""] = match;
        if (info?.argument === undefined && isUnionName(m, infos, node)) {
          return base(`Selections can't be made directly on unions (see selections on ${typeName})`, {
            code: "selectionMismatch",
            nodeName: typeName,
          });
        }
        return base(`Field '${fieldName}' doesn't exist on type '${typeName}'`, { code: "undefinedField", typeName, fieldName });
      }
      break;
    case "KnownArgumentNamesRule":
      if ((match = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(m))) {
        const argumentName = match[1] ?? "";
        const owner = info?.argument;
        const name = owner?.ownerKind === "Field" ? owner.ownerName : (match[3] ?? "");
        return base(`Field '${name}' doesn't accept argument '${argumentName}'`, {
          code: "argumentNotAccepted",
          name,
          typeName: "Field",
          argumentName,
        });
      }
      if ((match = /^Unknown argument "(.+?)" on directive "@(.+?)"\./.exec(m))) {
        const [, argumentName = "", name = ""] = match;
        return base(`Directive '${name}' doesn't accept argument '${argumentName}'`, {
          code: "argumentNotAccepted",
          name,
          typeName: "Directive",
          argumentName,
        });
      }
      break;
    case "ValuesOfCorrectTypeRule": {
      if ((match = /^Field "(.+?)" is not defined by type "(.+?)"\./.exec(m))) {
        const [, argumentName = "", name = ""] = match;
        return base(`InputObject '${name}' doesn't accept argument '${argumentName}'`, {
          code: "argumentNotAccepted",
          name,
          typeName: "InputObject",
          argumentName,
        });
      }
      if ((match = /^Field "(.+?)\.(.+?)" of required type "(.+?)" was not provided\./.exec(m))) {
        const [, inputObjectType = "", argumentName = "", argumentType = ""] = match;
        return base(`Argument '${argumentName}' on InputObject '${inputObjectType}' is required. Expected type ${argumentType}`, {
          code: "missingRequiredInputObjectAttribute",
          argumentName,
          argumentType,
          inputObjectType,
        });
      }
      const argument = info?.argument;
      if (argument) {
        const literal = argumentValueText(argument.argNode);
        const expected = argument.argType ? String(argument.argType) : "unknown";
        return {
          message: `Argument '${argument.argName}' on ${argument.ownerKind} '${argument.ownerName}' has an invalid value${literal}. Expected type '${expected}'.`,
          locations: locationsOf(argument.ownerNode),
          path: infos.get(argument.argNode)?.path ?? info?.path ?? [],
          extensions: { code: "argumentLiteralsIncompatible", typeName: argument.ownerKind, argumentName: argument.argName },
        };
      }
      break;
    }
    case "ScalarLeafsRule":
      if ((match = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/.exec(m))) {
        const [, fieldName = "", typeString = ""] = match;
        const typeName = typeString.replace(/[[\]!]/g, "");
        return base(
          `Field must have selections (field '${fieldName}' returns ${typeName} but has no selections. Did you mean '${fieldName} { ... }'?)`,
          { code: "selectionMismatch", nodeName: `field '${fieldName}'`, typeName },
        );
      }
      if ((match = /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./.exec(m))) {
        const [, fieldName = "", typeString = ""] = match;
        const typeName = typeString.replace(/[[\]!]/g, "");
        const kind = isEnumName(infos, typeName) ? "enums" : "scalars";
        const fieldNode = node?.kind === Kind.SELECTION_SET ? info?.field : node;
        const selectionSet = node?.kind === Kind.SELECTION_SET ? node : fieldNode?.kind === Kind.FIELD ? fieldNode.selectionSet : undefined;
        const selections =
          selectionSet
            ? selectionSet.selections.map((selection) =>
                selection.kind === Kind.FIELD
                  ? `"${selection.name.value}"`
                  : selection.kind === Kind.INLINE_FRAGMENT
                    ? `"... on ${selection.typeCondition?.name.value ?? ""} { ... }"`
                    : `"${selection.name.value}"`,
              )
            : [];
        return base(
          `Selections can't be made on ${kind} (field '${fieldName}' returns ${typeName} but has selections [${selections.join(", ")}])`,
          { code: "selectionMismatch", nodeName: `field '${fieldName}'`, typeName },
          fieldNode ?? node,
        );
      }
      break;
    case "NoUnusedVariablesRule":
      if ((match = /^Variable "\$(.+?)" is never used(?: in operation "(.+?)")?\./.exec(m))) {
        const [, variableName = "", operation] = match;
        return base(`Variable $${variableName} is declared by ${operation ?? "anonymous query"} but not used`, {
          code: "variableNotUsed",
          variableName,
        });
      }
      break;
    case "NoUndefinedVariablesRule":
      if ((match = /^Variable "\$(.+?)" is not defined(?: by operation "(.+?)")?\./.exec(m))) {
        const [, variableName = "", operation] = match;
        return base(`Variable $${variableName} is used by ${operation ?? "anonymous query"} but not declared`, {
          code: "variableNotDefined",
          variableName,
        });
      }
      break;
    case "VariablesInAllowedPositionRule":
      if ((match = /^Variable "\$(.+?)" of type "(.+?)" used in position expecting type "(.+?)"\./.exec(m))) {
        const [, variableName = "", variableType = "", expectedType = ""] = match;
        const usage = error.nodes?.[1] ?? node;
        const usageInfo = usage ? infos.get(usage) : undefined;
        const argumentName = usageInfo?.argument?.argName ?? "";
        const errorMessage = mismatchKind(variableType, expectedType);
        return {
          message: `${errorMessage} on variable $${variableName} and argument ${argumentName} (${variableType} / ${expectedType})`,
          locations: usageInfo?.argument ? locationsOf(usageInfo.argument.argNode) : locationsFromError(error),
          path: usageInfo?.path ?? [],
          extensions: { code: "variableMismatch", variableName, typeName: variableType, argumentName, errorMessage },
        };
      }
      break;
    case "KnownTypeNamesRule":
      if ((match = /^Unknown type "(.+?)"\./.exec(m))) {
        const typeName = match[1] ?? "";
        if (info?.variableName !== undefined) {
          return base(`${typeName} isn't a defined input type (on $${info.variableName})`, {
            code: "variableRequiresValidType",
            typeName,
            variableName: info.variableName,
          });
        }
        return base(`No such type ${typeName}, so it can't be a fragment condition`, { code: "undefinedType", typeName });
      }
      break;
    case "VariablesAreInputTypesRule":
      if ((match = /^Variable "\$(.+?)" cannot be non-input type "(.+?)"\./.exec(m))) {
        const [, variableName = "", typeString = ""] = match;
        const typeName = typeString.replace(/[[\]!]/g, "");
        return base(`${typeName} isn't a valid input type (on $${variableName})`, {
          code: "variableRequiresValidType",
          typeName,
          variableName,
        });
      }
      break;
    case "KnownFragmentNamesRule":
      if ((match = /^Unknown fragment "(.+?)"\./.exec(m))) {
        const fragmentName = match[1] ?? "";
        return base(`Fragment ${fragmentName} was used, but not defined`, { code: "useAndDefineFragment", fragmentName });
      }
      break;
    case "NoUnusedFragmentsRule":
      if ((match = /^Fragment "(.+?)" is never used\./.exec(m))) {
        const fragmentName = match[1] ?? "";
        return base(`Fragment ${fragmentName} was defined, but not used`, { code: "useAndDefineFragment", fragmentName });
      }
      break;
    case "KnownDirectivesRule":
      if ((match = /^Unknown directive "@(.+?)"\./.exec(m))) {
        const directiveName = match[1] ?? "";
        return base(`Directive @${directiveName} is not defined`, { code: "undefinedDirective", directiveName });
      }
      if ((match = /^Directive "@(.+?)" may not be used on (.+?)\./.exec(m))) {
        const [, name = "", location = ""] = match;
        return base(`'@${name}' can't be applied to ${location.toLowerCase().replace(/_/g, " ")}`, {
          code: "directiveCannotBeApplied",
          targetName: location,
          name,
        });
      }
      break;
    case "PossibleFragmentSpreadsRule":
      if ((match = /^Fragment(?: "(.+?)")? cannot be spread here as objects of type "(.+?)" can never be of type "(.+?)"\./.exec(m))) {
        const [, fragment, parentName = "", typeName = ""] = match;
        const name = fragment ? ` ${fragment}` : "";
        return base(`Fragment${name} on ${typeName} can't be spread inside ${parentName}`, {
          code: "cannotSpreadFragment",
          typeName,
          fragmentName: fragment ? name : "unknown",
          parentName,
        });
      }
      break;
    case "FragmentsOnCompositeTypesRule":
      if ((match = /cannot condition on non composite type "(.+?)"\./.exec(m))) {
        const typeName = match[1] ?? "";
        return base(`Invalid fragment on type ${typeName} (must be Union, Interface or Object)`, {
          code: "fragmentOnNonCompositeType",
          typeName,
        });
      }
      break;
    case "UniqueOperationNamesRule":
      if ((match = /^There can be only one operation named "(.+?)"\./.exec(m))) {
        return base(`Operation name "${match[1] ?? ""}" must be unique`, { code: "uniquelyNamedOperations", operationName: match[1] ?? "" });
      }
      break;
    case "LoneAnonymousOperationRule":
      return base("Operation name is required when multiple operations are present", { code: "uniquelyNamedOperations" });
    case "UniqueArgumentNamesRule":
      if ((match = /^There can be only one argument named "(.+?)"\./.exec(m))) {
        return base(`There can be only one argument named "${match[1] ?? ""}"`, { code: "argumentNotUnique", name: match[1] ?? "" });
      }
      break;
    case "UniqueInputFieldNamesRule":
      if ((match = /^There can be only one input field named "(.+?)"\./.exec(m))) {
        return base(`There can be only one input field named "${match[1] ?? ""}"`, { code: "inputFieldNotUnique", name: match[1] ?? "" });
      }
      break;
    case "UniqueVariableNamesRule":
      if ((match = /^There can be only one variable named "\$(.+?)"\./.exec(m))) {
        return base(`There can only be one variable named "${match[1] ?? ""}"`, { code: "variableNotUnique", variableName: match[1] ?? "" });
      }
      break;
    case "UniqueFragmentNamesRule":
      if ((match = /^There can be only one fragment named "(.+?)"\./.exec(m))) {
        return base(`Fragment name "${match[1] ?? ""}" must be unique`, { code: "fragmentNotUnique", fragmentName: match[1] ?? "" });
      }
      break;
    case "NoFragmentCyclesRule":
      if ((match = /^Cannot spread fragment "(.+?)" within itself/.exec(m))) {
        return base(`Fragment ${match[1] ?? ""} contains an infinite loop`, { code: "infiniteLoop", fragmentName: match[1] ?? "" });
      }
      break;
    case "UniqueDirectivesPerLocationRule":
      if ((match = /^The directive "@(.+?)" can only be used once at this location\./.exec(m))) {
        return base(`The directive "${match[1] ?? ""}" can only be used once at this location.`, {
          code: "directiveNotUniqueForLocation",
          directiveName: match[1] ?? "",
        });
      }
      break;
    case "ExecutableDefinitionsRule":
      return base("Query cannot contain schema definitions", { code: "queryContainsSchemaDefinitions" });
    case "OverlappingFieldsCanBeMergedRule":
      if ((match = /^Fields "(.+?)" conflict because (.+)\. Use different aliases on the fields to fetch both if this was intentional\.$/.exec(m))) {
        const fieldName = match[1] ?? "";
        return base(`Field '${fieldName}' has a field conflict: ${match[2] ?? ""}?`, { code: "fieldConflict", fieldName, conflicts: match[2] ?? "" });
      }
      break;
    case "NoDeprecatedCustomRule":
      return deprecated(error, base);
    default:
      break;
  }
  return base(m.replace(/\.$/, ""), { code: ruleCode(ruleName) });
}

function deprecated(
  error: GraphQLError,
  base: (message: string, extensions: ShopifyGraphqlError["extensions"]) => ShopifyGraphqlError,
): ShopifyGraphqlError {
  const m = error.message;
  let match: RegExpExecArray | null;
  if ((match = /^The field (.+?)\.(.+?) is deprecated\. ?([\s\S]*)$/.exec(m))) {
    const [, typeName = "", fieldName = "", reason = ""] = match;
    return base(`Field '${fieldName}' on type '${typeName}' is deprecated: ${reasonText(reason)}`, {
      code: "deprecatedField",
      typeName,
      fieldName,
      deprecationReason: reason,
    });
  }
  if ((match = /^Field "(.+?)\.(.+?)" argument "(.+?)" is deprecated\. ?([\s\S]*)$/.exec(m))) {
    const [, typeName = "", fieldName = "", argumentName = "", reason = ""] = match;
    return base(`Argument '${argumentName}' on Field '${fieldName}' is deprecated: ${reasonText(reason)}`, {
      code: "deprecatedArgument",
      typeName,
      fieldName,
      argumentName,
      deprecationReason: reason,
    });
  }
  if ((match = /^Directive "@(.+?)" argument "(.+?)" is deprecated\. ?([\s\S]*)$/.exec(m))) {
    const [, directiveName = "", argumentName = "", reason = ""] = match;
    return base(`Argument '${argumentName}' on Directive '${directiveName}' is deprecated: ${reasonText(reason)}`, {
      code: "deprecatedArgument",
      directiveName,
      argumentName,
      deprecationReason: reason,
    });
  }
  if ((match = /^The input field (.+?)\.(.+?) is deprecated\. ?([\s\S]*)$/.exec(m))) {
    const [, typeName = "", fieldName = "", reason = ""] = match;
    return base(`Input field '${fieldName}' on type '${typeName}' is deprecated: ${reasonText(reason)}`, {
      code: "deprecatedInputField",
      typeName,
      fieldName,
      deprecationReason: reason,
    });
  }
  if ((match = /^The enum value "(.+?)\.(.+?)" is deprecated\. ?([\s\S]*)$/.exec(m))) {
    const [, typeName = "", value = "", reason = ""] = match;
    return base(`Enum value '${value}' on type '${typeName}' is deprecated: ${reasonText(reason)}`, {
      code: "deprecatedEnumValue",
      typeName,
      enumValue: value,
      deprecationReason: reason,
    });
  }
  return base(m, { code: "deprecated" });
}

function reasonText(reason: string): string {
  const text = reason.trim();
  return text.length > 0 ? text : "No longer supported.";
}

/** graphql-ruby reports all missing required arguments of one field in one error. */
function missingArguments(errors: readonly GraphQLError[], infos: Map<ASTNode, NodeInfo>): [ShopifyGraphqlError, number][] {
  const byNode = new Map<ASTNode, { className: string; name: string; names: string[] }>();
  const order: ASTNode[] = [];
  for (const error of errors) {
    const node = error.nodes?.[0];
    if (!node) continue;
    const field = /^Field "(.+?)" argument "(.+?)" of type/.exec(error.message);
    const directive = /^Directive "@(.+?)" argument "(.+?)" of type/.exec(error.message);
    const match = field ?? directive;
    if (!match) continue;
    let entry = byNode.get(node);
    if (!entry) {
      const name = node.kind === Kind.FIELD ? node.name.value : (match[1] ?? "");
      entry = { className: field ? "Field" : "Directive", name, names: [] };
      byNode.set(node, entry);
      order.push(node);
    }
    entry.names.push(match[2] ?? "");
  }
  return order.map((node) => {
    const entry = byNode.get(node);
    const names = entry?.names.join(", ") ?? "";
    return [
      {
        message: `${entry?.className ?? "Field"} '${entry?.name ?? ""}' is missing required arguments: ${names}`,
        locations: locationsOf(node),
        path: infos.get(node)?.path ?? [],
        extensions: { code: "missingRequiredArguments", className: entry?.className ?? "Field", name: entry?.name ?? "", arguments: names },
      },
      node.loc?.start ?? 0,
    ];
  });
}

function mismatchKind(variableType: string, expectedType: string): string {
  const named = (type: string) => type.replace(/[[\]!]/g, "");
  const depth = (type: string) => (type.match(/\[/g) ?? []).length;
  if (named(variableType) !== named(expectedType)) return "Type mismatch";
  if (depth(variableType) !== depth(expectedType)) return "List dimension mismatch";
  return "Nullability mismatch";
}

function ruleCode(ruleName: string): string {
  const bare = ruleName.replace(/Rule$/, "");
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

function argumentValueText(argNode: ASTNode): string {
  if (argNode.kind === Kind.ARGUMENT || argNode.kind === Kind.OBJECT_FIELD) return ` (${print(argNode.value)})`;
  return "";
}

function locationsOf(node: ASTNode): { line: number; column: number }[] {
  if (!node.loc) return [];
  const { line, column } = lineColumn(node.loc.source.body, node.loc.start);
  return [{ line, column }];
}

function locationsFromError(error: GraphQLError): { line: number; column: number }[] {
  return (error.locations ?? []).slice(0, 1).map(({ line, column }) => ({ line, column }));
}

/** 1-based line and column of a character offset in a GraphQL document (as Shopify reports them). */
export function lineColumn(body: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (body.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

// Union/enum checks need the schema; analyze() stores it on the map for these helpers.
const schemaOf = new WeakMap<Map<ASTNode, NodeInfo>, GraphQLSchema>();

function isUnionName(message: string, infos: Map<ASTNode, NodeInfo>, _node: ASTNode | undefined): boolean {
  const match = /on type "(.+?)"/.exec(message);
  const type = match ? schemaOf.get(infos)?.getType(match[1] ?? "") : undefined;
  return type !== undefined && type !== null && isUnionType(type);
}

function isEnumName(infos: Map<ASTNode, NodeInfo>, typeName: string): boolean {
  const type = schemaOf.get(infos)?.getType(typeName);
  return type !== undefined && type !== null && "getValues" in type;
}

/** Walks the document once, recording graphql-ruby style paths and argument context per node. */
function analyze(schema: GraphQLSchema, document: DocumentNode): Map<ASTNode, NodeInfo> {
  const infos = new Map<ASTNode, NodeInfo>();
  schemaOf.set(infos, schema);
  const typeInfo = new TypeInfo(schema);
  const path: Path = [];
  const argumentStack: ArgumentContext[] = [];
  const pushed = new WeakSet<ASTNode>();
  let variableName: string | undefined;
  let inFragmentCondition = false;

  const push = (node: ASTNode, segment: string | number) => {
    path.push(segment);
    pushed.add(node);
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node, key, parent, _path, ancestors) {
        switch (node.kind) {
          case Kind.OPERATION_DEFINITION:
            push(node, `${node.operation}${node.name ? ` ${node.name.value}` : ""}`);
            break;
          case Kind.FRAGMENT_DEFINITION:
            push(node, `fragment ${node.name.value}`);
            inFragmentCondition = true;
            break;
          case Kind.INLINE_FRAGMENT:
            push(node, node.typeCondition ? `... on ${node.typeCondition.name.value}` : "...");
            inFragmentCondition = true;
            break;
          case Kind.FRAGMENT_SPREAD:
            push(node, `... ${node.name.value}`);
            break;
          case Kind.FIELD:
            push(node, node.alias?.value ?? node.name.value);
            break;
          case Kind.VARIABLE_DEFINITION:
            variableName = node.variable.name.value;
            break;
          case Kind.SELECTION_SET:
            inFragmentCondition = false;
            break;
          case Kind.ARGUMENT: {
            push(node, node.name.value);
            const owner = [...ancestors].reverse().find(
              (ancestor): ancestor is ASTNode =>
                !Array.isArray(ancestor) && ((ancestor as ASTNode).kind === Kind.FIELD || (ancestor as ASTNode).kind === Kind.DIRECTIVE),
            );
            const ownerKind = owner?.kind === Kind.DIRECTIVE ? "Directive" : "Field";
            const ownerName =
              owner?.kind === Kind.FIELD ? (owner.alias?.value ?? owner.name.value) : owner?.kind === Kind.DIRECTIVE ? owner.name.value : "";
            argumentStack.push({
              ownerKind,
              ownerName,
              ownerNode: owner ?? node,
              argName: node.name.value,
              argType: typeInfo.getArgument()?.type,
              argNode: node,
            });
            break;
          }
          case Kind.OBJECT_FIELD: {
            push(node, node.name.value);
            const parentType = typeInfo.getParentInputType();
            const objectNode = Array.isArray(parent) ? undefined : (parent as ASTNode | undefined);
            argumentStack.push({
              ownerKind: "InputObject",
              ownerName: parentType ? getNamedType(parentType).name : "",
              ownerNode: objectNode ?? node,
              argName: node.name.value,
              argType: typeInfo.getInputType() ?? undefined,
              argNode: node,
            });
            break;
          }
          case Kind.OBJECT: {
            const current = argumentStack[argumentStack.length - 1];
            if (typeof key === "number" && current?.argType && isListInput(current.argType)) push(node, key);
            break;
          }
          default:
            break;
        }
        const info: NodeInfo = { path: [...path] };
        const argument = argumentStack[argumentStack.length - 1];
        if (argument) info.argument = argument;
        if (node.kind === Kind.SELECTION_SET && !Array.isArray(parent) && (parent as ASTNode | undefined)?.kind === Kind.FIELD) {
          info.field = parent as ASTNode;
        }
        if (node.kind === Kind.NAMED_TYPE) {
          if (variableName !== undefined) info.variableName = variableName;
          if (inFragmentCondition) info.fragmentCondition = true;
        }
        infos.set(node, info);
      },
      leave(node) {
        if (pushed.has(node)) {
          path.pop();
          pushed.delete(node);
        }
        if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) argumentStack.pop();
        if (node.kind === Kind.VARIABLE_DEFINITION) variableName = undefined;
      },
    }),
  );
  return infos;
}

function isListInput(type: GraphQLType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}
