#pragma once

#include "variablepool.h"

#include <string>
#include <string_view>
#include <vector>

namespace flowbench::variables {

// Dify's `{{#node_id.var(.key)*#}}` references (§5.2): node id [A-Za-z0-9_]{1,50}, then 1-10
// segments [A-Za-z_][A-Za-z0-9_]{0,29} joined by '.'. Anything else between {{# and #}} is text.
struct TemplateSegment
{
    bool isVariable = false;
    std::string text;  // literal text, or the reference's inner text ("node.var") for variables
    Selector selector; // for variables
};

std::vector<TemplateSegment> parseTemplate(std::string_view source);

enum class Rendering { Text, Markdown };

// Renders a template against the pool. A reference that resolves renders its value in the given
// form; one that matches the pattern but does not resolve renders as its bare inner text
// ("node.var"), as Dify does; text that does not match the pattern stays literally.
std::string renderTemplate(std::string_view source, const VariablePool &pool, Rendering rendering);

// Every selector the template references, in order, without duplicates.
std::vector<Selector> templateSelectors(std::string_view source);

} // namespace flowbench::variables
