#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "variables/variablepool.h"

#include <optional>
#include <string_view>

namespace flowbench::nodes {

using Json = nlohmann::json;

// Dify's condition processor (§6), shared by if-else cases and loop break conditions.
// `conditions` is a list of {variable_selector, comparison_operator, value, varType,
// sub_variable_condition?}; they are joined by `logicalOperator` ("and" | "or") with short
// circuit. An empty list is true under "and", false under "or". Fails (as Dify's node does)
// when an evaluated condition's variable is absent from the pool (error code
// "condition.variable_not_found") or Python would raise on its values ("condition.invalid");
// the error message names the variable and the operator. `details` (optional) is reset to an
// array and receives one {actual_value, expected_value, comparison_operator, result} per
// evaluated condition (expected_value as rendered and converted; for file sub-conditions, the
// sub_variable_condition).
Result<bool> evaluateConditions(const Json &conditions, const QString &logicalOperator,
                                const variables::VariablePool &pool, Json *details = nullptr);

// Python's value semantics, which Dify's nodes inherit and the logic nodes share.
namespace py {

// bool(value): None, False, 0, 0.0, "", [] and {} are false.
bool truthy(const Json &value);
// a == b: numbers and booleans compare by value (1 == 1.0 == True), lists and dicts deeply,
// anything else of different types is unequal.
bool equals(const Json &a, const Json &b);
// Three-way comparison of two numbers (booleans count as 0 and 1), exact between ints and floats
// as in Python; nullopt when either is not a number or is NaN.
std::optional<int> compare(const Json &a, const Json &b);
// float(text): surrounding whitespace, '_' between digits, exponents, inf and nan; nullopt where
// Python raises ValueError.
std::optional<double> parseFloat(std::string_view text);
// int(text): decimal digits with an optional sign, whitespace and '_' between digits ("1.5",
// "1e3" and "" are refused). Integers beyond 64 bits come back as a float Json.
std::optional<Json> parseInt(std::string_view text);

} // namespace py

} // namespace flowbench::nodes
