#pragma once

#include "edits.h"

namespace flowbench::document {

// Where panels (the inspector, workflow settings) send the changes a user makes. The app
// implements it by pushing an undo command that applies the edit to the WorkflowDocument; the
// document's signals then update every view. Same contract as canvas::EditSink, which the
// canvas uses (the app's sink implements both). GUI thread only.
class EditSink
{
public:
    virtual ~EditSink() = default;
    virtual void applyEdit(Edit edit) = 0;
};

} // namespace flowbench::document
