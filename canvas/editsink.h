#pragma once

#include "document/edits.h"

namespace flowbench::canvas {

// Where the canvas sends the changes a user asks for (a drag, a nudge). The canvas never changes
// the document itself: the app implements this by pushing an undo command that applies the edit,
// and the document's signals then update the scene. Called on the GUI thread; the sink must
// outlive the scene it is given to.
//
//     class UndoSink : public canvas::EditSink {
//         void applyEdit(document::Edit edit) override { m_stack->push(new EditCommand(...)); }
//     };
class EditSink
{
public:
    virtual ~EditSink() = default;
    virtual void applyEdit(document::Edit edit) = 0;
};

} // namespace flowbench::canvas
